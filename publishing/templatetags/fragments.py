"""Parts of pages rendered once per content version and shared by every page that shows them,
as Rails' fragment and collection caching do (publishing.caching). A mission card looks the same
on the list, on search results and on the home page, whatever the filters; rendering it, not
fetching it, is what a list page costs.

A fragment's key is its name (with a card's model and primary key and the values it is given, or
the value a fragment is rendered for), the active language and the content version: a fragment
must depend on nothing else.

Markup that depends on nothing but the code and the language (the site's header and footer)
is rendered once per process instead, as the cached template loader keeps compiled templates:
{% once %} below. Django's {% cache %} in a local-memory cache would do the same, but hashing,
locking and unpickling cost 0.08 ms on every page for the three fragments of the shell, against
0.01 ms for a dictionary: a fifth of what the shell costs."""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.autoreload import file_changed
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from publishing import caching

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


# {% once %} fragments by (name, language, values). A few dozen at most: the values it is given
# come from a small fixed set (a section of the site), never from a visitor.
_rendered_once: dict[tuple, str] = {}


@receiver(setting_changed)
@receiver(file_changed)  # the development server keeps running when a template changes
def _forget_rendered_once(**kwargs):
    _rendered_once.clear()


class OnceNode(template.Node):
    def __init__(self, nodelist, name, values):
        self.nodelist, self.name, self.values = nodelist, name, values

    def render(self, context):
        key = (self.name, get_language(), *(value.resolve(context) for value in self.values))
        if key not in _rendered_once:
            _rendered_once[key] = self.nodelist.render(context)
        return _rendered_once[key]


@register.tag
def once(parser, token):
    """{% once "site-footer" %}…{% endonce %}: the enclosed template rendered once per process
    and language, for markup that depends on nothing else (no content, no request).

    {% once "site-nav" section %}: once per value of `section` as well, a value from a small
    fixed set such as the section of the site."""
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("{% once %} takes a name in quotes, and optionally values it depends on.")
    values = [parser.compile_filter(bit) for bit in bits[2:]]
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    return OnceNode(nodelist, bits[1][1:-1], values)
