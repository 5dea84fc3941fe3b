"""The benchmark's reference: the least a Django page costs on this machine. One view answering
"hello", no middleware, no database, no template, served by gunicorn with the site's settings
(bench/run.py): every row of the benchmark is a ratio to it."""
