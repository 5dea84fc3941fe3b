"""Parts of pages rendered once per content version and shared by every page that shows them,
as Rails' fragment and collection caching do (lunarportal.caching). A mission card looks the same
on the list, on search results and on the home page, whatever the filters; rendering it, not
fetching it, is what a list page costs.

A fragment's key is its name, the active language, the content version and the values it is
given: a fragment must depend on nothing else."""

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
    def __init__(self, nodelist, name, vary_on):
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def render(self, context):
        meaning = (self.name, get_language(), [variable.resolve(context) for variable in self.vary_on])
        return caching.remember("fragment", meaning, lambda: self.nodelist.render(context))


@register.tag
def fragment(parser, token):
    """{% fragment "partner-options" [value …] %}…{% endfragment %}: the enclosed template
    rendered once per content version, language and values."""
    name, *vary_on = token.split_contents()[1:]
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    vary_on = [parser.compile_filter(value) for value in vary_on]
    return CachedFragmentNode(nodelist, parser.compile_filter(name).resolve({}), vary_on)
