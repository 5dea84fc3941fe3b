"""The partners drawn on the server as inline SVG: the world map and the cooperation charts.

These modules only do layout arithmetic on plain values and model instances handed to them: no
queries, so views choose (and tests pin) what is fetched, and templates only print coordinates.
"""
