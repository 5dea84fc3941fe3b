"""Parts of pages rendered once per content version and shared by every page that shows them,
as Rails' fragment and collection caching do (lunarportal.caching). A mission card looks the same
on the list, on search results and on the home page, whatever the filters; rendering it, not
fetching it, is what a list page costs.

A fragment's key is its name (with a card's model and primary key and the values it is given, or
the value a fragment is rendered for), the active language and the content version: a fragment
must depend on nothing else."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from lunarportal import caching

register = template.Library()


@register.simple_tag(takes_context=True)
def render_each(context, items, template_name, item_name, **values):
    """`template_name` rendered for each of `items` (as `item_name`, with `values`), cached per
    item. Items are model instances from the same queryset method (a card shows what
    `for_listing()` fetched), identified by their model and primary key."""
    fragment = context.template.engine.get_template(template_name)
    language = get_language()
    meanings = [(template_name, language, item._meta.label, item.pk, tuple(sorted(values.items()))) for item in items]
    item_of = dict(zip(meanings, items, strict=True))

    def render(meaning):
        return fragment.render(context.new({item_name: item_of[meaning], **values}))

    # Each part is the output of a template, escaped as it rendered.
    return mark_safe("".join(caching.remember_each("fragment", meanings, render)))


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist, name, rendered_for):
        self.nodelist, self.name, self.rendered_for = nodelist, name, rendered_for

    def render(self, context):
        meaning = (self.name, get_language(), self.rendered_for.resolve(context) if self.rendered_for else None)
        return caching.remember("fragment", meaning, lambda: self.nodelist.render(context))


@register.tag
def fragment(parser, token):
    """{% fragment "partner-options" %}…{% endfragment %}: the enclosed template rendered once per
    content version and language. What it shows must depend on nothing else.

    {% fragment "filter-form" filter.submitted %}: once per value of `filter.submitted` as well
    (plain data whose repr() says all the enclosed template depends on)."""
    bits = token.split_contents()
    if len(bits) not in (2, 3) or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(
            "{% fragment %} takes a name in quotes, and optionally the value it is rendered for."
        )
    rendered_for = parser.compile_filter(bits[2]) if len(bits) == 3 else None
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return CachedFragmentNode(nodelist, bits[1][1:-1], rendered_for)
