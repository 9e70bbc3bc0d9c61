"""The changelist's rows, written once per column plan instead of once per cell.

Django's ``items_for_result`` works out every cell from scratch: it looks the column up
(``lookup_field``), picks a display function, builds the CSS class, reverses the change URL and
re-parses the preserved filters for each row's link, and formats each piece with ``format_html``.
At 50 rows by 10 columns that was two thirds of the list page's server time. Here whatever a
column needs (the field or admin method, its class, the empty value, a choices field's labels,
the link's URL around the primary key) is worked out once per page, and a row is its cells
joined. The HTML is the same as Django's, cell for cell (``tests/test_admin_rows.py`` compares
them); a changelist this plan does not cover (an editable list, a popup, a ``to_field``, a
column that follows a relation, a non-integer primary key) gets Django's own rows.

A column whose cell depends on one field of the row only (a code shown as its label) can say so
with ``depends_on`` on its admin method: its cell is then formatted once per distinct value on
the page.
"""

import datetime
import re

from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    _coerce_field_name,
    admin_list_filter,
    result_headers,
    result_hidden_fields,
    result_list,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
)
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.urls import NoReverseMatch, reverse
from django.utils.encoding import iri_to_uri
from django.utils.functional import Promise, cached_property
from django.utils.html import conditional_escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext

_PK_SLOT = "__pk__"


class Unsupported(Exception):
    """A column or changelist the row plan does not cover: Django builds the rows."""


def _cell_class(classes):
    return SafeString(f' class="{" ".join(classes)}"')


class _Column:
    """How one list_display column turns a row into its ``<td>`` (or ``<th>``), worked out once."""

    def __init__(self, cl, index, name, empty):
        self.name = name
        self.classes = [f"field-{_coerce_field_name(name, index)}"]
        self.empty = empty
        self.field = None
        self.method = None
        self.depends_on = None
        self.choices = None
        if not isinstance(name, str) or LOOKUP_SEP in name:
            raise Unsupported(name)
        try:
            self.field = _get_non_gfk_field(cl.lookup_opts, name)
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
            if name == "__str__" or not hasattr(cl.model_admin, name):
                raise Unsupported(name) from None
            self.method = getattr(cl.model_admin, name)
            if not callable(self.method):
                raise Unsupported(name) from None
            self.empty = getattr(self.method, "empty_value_display", empty)
            self.boolean = getattr(self.method, "boolean", False)
            self.depends_on = getattr(self.method, "depends_on", None)
            if name == "action_checkbox":
                self.classes = ["action-checkbox"]
            return
        field = self.field
        if field.auto_created:
            self.boolean = False
            return
        if isinstance(field.remote_field, models.ManyToOneRel):
            self.kind = "relation"
        elif field.name == "password" or isinstance(field, (models.FileField, models.URLField)):
            raise Unsupported(name)  # their display depends on more than the value
        elif getattr(field, "flatchoices", None):
            try:
                # Labels escaped once per page (they are lazy translations: each str() looks one up).
                self.choices = {value: conditional_escape(label) for value, label in field.flatchoices}
            except TypeError:
                raise Unsupported(name) from None
            self.kind = "choices"
        else:
            self.kind = "field"
        if isinstance(field, (models.DateField, models.TimeField, models.ForeignKey)):
            self.classes.append("nowrap")

    def value_html(self, obj, link):
        """(the cell's HTML-safe content, its class attribute) for ``obj``."""
        field = self.field
        if field is None or field.auto_created:
            value = self.method(obj) if field is None else getattr(obj, self.name)
            if type(value) is SafeString and value and not self.boolean:
                # What display_for_value and escaping would leave of markup the column already wrote.
                return value, self.class_attr
            text = display_for_value(value, self.empty, self.boolean)
            classes = self.classes
            if isinstance(value, (datetime.date, datetime.time)):
                classes = [*classes, "nowrap"]
            return conditional_escape(text), _cell_class(classes)
        value = getattr(obj, self.name)
        if self.kind == "relation":
            text = self.empty if value is None else value
        elif self.kind == "choices":
            try:
                text = self.choices.get(value, self.empty)
            except TypeError:  # an unhashable value: Django's own path
                text = display_for_field(value, field, self.empty, avoid_link=link)
            else:
                return text, self.class_attr
        else:
            text = display_for_field(value, field, self.empty, avoid_link=link)
        return conditional_escape(text), self.class_attr

    @cached_property
    def class_attr(self):
        return _cell_class(self.classes)


class RowPlan:
    """Every row of one changelist page as HTML, the same as ``items_for_result`` would write."""

    def __init__(self, cl):
        if cl.formset or cl.is_popup or cl.to_field:
            raise Unsupported("changelist")
        self.cl = cl
        empty = cl.model_admin.get_empty_value_display()
        self.columns = [_Column(cl, index, name, empty) for index, name in enumerate(cl.list_display)]
        links = cl.list_display_links
        self.link_index = None
        if links is not None:
            for index, name in enumerate(cl.list_display):
                if (index == 0 and not links) or name in links:
                    self.link_index = index
                    break
            # Only the first linked column is a <th>; further linked columns are <td> links.
            self.extra_links = {
                index for index, name in enumerate(cl.list_display) if name in links and index != self.link_index
            }
        else:
            self.extra_links = set()
        self._url_parts = None

    def _url(self, obj):
        """The row's change URL with the preserved filters, HTML-escaped."""
        pk = obj.pk
        if not isinstance(pk, int) or isinstance(pk, bool):
            return conditional_escape(
                add_preserved_filters(
                    {"preserved_filters": self.cl.preserved_filters, "opts": self.cl.opts}, self.cl.url_for_result(obj)
                )
            )
        if self._url_parts is None:
            # The change URL with the pk's place marked, and the preserved filters' query (the same
            # for every row: add_preserved_filters only looks at which view the path resolves to).
            cl = self.cl
            path = cl.url_for_result(obj)
            query = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, path)
            if not query.startswith(path):
                raise Unsupported("preserved filters")
            template = reverse(
                f"admin:{cl.opts.app_label}_{cl.opts.model_name}_change",
                args=(_PK_SLOT,),
                current_app=cl.model_admin.admin_site.name,
            )
            before, slot, after = template.partition(_PK_SLOT)
            if not slot or before + str(pk) + after != path:
                raise Unsupported("change URL")
            self._url_parts = (conditional_escape(before), conditional_escape(after + query[len(path) :]))
        before, after = self._url_parts
        return SafeString(f"{before}{pk}{after}")

    def row(self, obj, memo):
        cells = []
        for index, column in enumerate(self.columns):
            link = index == self.link_index or index in self.extra_links
            key = None
            memo_field = column.depends_on or (column.choices is not None and column.name)
            if memo_field and not link:
                key = (index, getattr(obj, memo_field))
                try:
                    cached = memo.get(key)
                except TypeError:  # an unhashable value: no memo
                    key = cached = None
                if cached is not None:
                    cells.append(cached)
                    continue
            content, class_attr = column.value_html(obj, link)
            if link:
                try:
                    url = self._url(obj)
                except NoReverseMatch:
                    linked = content
                else:
                    linked = f'<a href="{url}">{content}</a>'
                tag = "th" if index == self.link_index else "td"
                cell = f"<{tag}{class_attr}>{linked}</{tag}>"
            else:
                cell = f"<td{class_attr}>{content}</td>"
            if key is not None:
                memo[key] = cell
            cells.append(cell)
        return SafeString("".join(cells))

    def rows(self):
        memo = {}
        return [ResultList(None, [self.row(obj, memo)]) for obj in self.cl.result_list]


def depends_on(field: str):
    """Marks an admin column method whose cell follows from ``obj.<field>`` alone (see the module's docstring)."""

    def mark(method):
        method.depends_on = field
        return method

    return mark


# What iri_to_uri leaves as it is: an urlencoded query string (all a changelist's links are) needs no work.
_IRI_UNCHANGED = re.compile(r"[A-Za-z0-9/#%\[\]=:;$&()+,!?*@'~_.\-]*")


def _iri(value) -> str:
    value = str(value)
    return value if _IRI_UNCHANGED.fullmatch(value) else iri_to_uri(value)


# Django's own messages (admin/filter.html, admin/change_list.html), translated by the admin's catalog
# as on the stock page: named here rather than marked, so that our catalog does not take them over.
_BY_TITLE = " By %(filter_title)s "
_FILTER = "Filter"
_HIDE_COUNTS = "Hide counts"
_SHOW_COUNTS = "Show counts"
_CLEAR_ALL = "Clear all filters"


def _choice_html(choice) -> str:
    selected = ' class="selected"' if choice["selected"] else ""
    href = conditional_escape(_iri(choice["query_string"]))
    return f'\n    <li{selected}>\n    <a href="{href}">{conditional_escape(choice["display"])}</a></li>\n  '


def filter_html(cl, spec) -> str:
    """What ``{% admin_list_filter cl spec %}`` renders from Django's ``admin/filter.html``, written directly.

    The sidebar has ten filters and some eighty choices; rendering the template for each filter
    cost more than working out the choices. A filter with its own template, or a choice label
    that is not text, is rendered by Django.
    """
    if spec.template != "admin/filter.html":
        return admin_list_filter(cl, spec)
    choices = list(spec.choices(cl))
    if not all(isinstance(choice["display"], (str, Promise)) for choice in choices):
        return admin_list_filter(cl, spec)
    title = conditional_escape(spec.title)
    by = gettext(_BY_TITLE) % {"filter_title": title}
    items = "".join(_choice_html(choice) for choice in choices)
    return SafeString(
        f'\n<details data-filter-title="{title}" open>\n  <summary>\n    {by}\n  </summary>\n'
        f"  <ul>\n  {items}\n  </ul>\n</details>\n"
    )


class FastRowsChangeList(ChangeList):
    """A ChangeList whose ``result_list_context`` is what ``{% result_list cl %}`` gives its template,
    and whose ``sidebar_html`` is the sidebar of filters (``filter_html`` for each).

    It also loads only the admin's ``list_columns``, and lists a single page (or "Show all") by the
    ids its paginator already read, if it read them (``EstimatedCountPaginator.listed_rows``),
    instead of running the search again unsliced.
    """

    def get_results(self, request):
        # The page's rows need only what their cells read (``list_columns`` on the admin, if it says):
        # a tenth of the columns of a wide table, so less to send, parse and build. Actions get
        # their own queryset (``get_queryset``), with every column.
        columns = getattr(self.model_admin, "list_columns", None)
        if columns:
            self.queryset = self.queryset.only(*columns)
        super().get_results(request)
        listed_rows = getattr(self.paginator, "listed_rows", None)
        if listed_rows and ((self.show_all and self.can_show_all) or not self.multi_page):
            rows = listed_rows()
            if rows is not None:
                self.result_list = rows

    def get_query_string(self, new_params=None, remove=None):
        # Django's, with each parameter encoded once per page: the sidebar's eighty links and the
        # column headers all repeat the page's own parameters (urlencode was a tenth of rendering).
        p = self.filter_params.copy()
        for prefix in remove or ():
            for key in list(p):
                if key.startswith(prefix):
                    del p[key]
        for key, value in (new_params or {}).items():
            if value is None:
                p.pop(key, None)
            else:
                p[key] = value
        return "?" + "&".join(filter(None, (self._encoded(key, value) for key, value in sorted(p.items()))))

    def _encoded(self, key, value) -> str:
        """``urlencode([(key, value)], doseq=True)``, remembered for the page."""
        try:
            memo_key = (key, tuple(value) if isinstance(value, list) else value)
            hash(memo_key)
        except TypeError:
            return urlencode([(key, value)], doseq=True)
        encoded = self._encoded_memo.get(memo_key)
        if encoded is None:
            encoded = self._encoded_memo[memo_key] = urlencode([(key, value)], doseq=True)
        return encoded

    @cached_property
    def _encoded_memo(self):
        return {}

    @cached_property
    def sidebar_html(self):
        """What Django's ``filters`` block of ``admin/change_list.html`` renders, written directly."""
        if not self.has_filters:
            return SafeString("\n          \n        ")
        extra = ""
        if self.is_facets_optional or self.has_active_filters:
            facets = clear = ""
            if self.is_facets_optional:
                if self.add_facets:
                    link = f'<a href="{conditional_escape(self.remove_facet_link)}" class="hidelink">'
                    link += f"{conditional_escape(gettext(_HIDE_COUNTS))}</a>\n                "
                else:
                    link = f'<a href="{conditional_escape(self.add_facet_link)}" class="viewlink">'
                    link += f"{conditional_escape(gettext(_SHOW_COUNTS))}</a>"
                facets = f"<h3>\n                {link}\n              </h3>"
            if self.has_active_filters:
                clear = (
                    f'<h3>\n                <a href="{conditional_escape(self.clear_all_filters_qs)}">&#10006; '
                    f"{conditional_escape(gettext(_CLEAR_ALL))}</a>\n              </h3>"
                )
            extra = (
                f'<div id="changelist-filter-extra-actions">\n              {facets}\n              {clear}\n'
                "            </div>"
            )
        filters = "".join(filter_html(self, spec) for spec in self.filter_specs)
        return SafeString(
            '\n          \n          <search id="changelist-filter" aria-labelledby="changelist-filter-header">\n'
            f'            <h2 id="changelist-filter-header">{conditional_escape(gettext(_FILTER))}</h2>\n'
            f"            {extra}\n            {filters}\n          </search>\n          \n        "
        )

    @cached_property
    def result_list_context(self):
        try:
            rows = RowPlan(self).rows()
        except Unsupported:
            return result_list(self)
        headers = list(result_headers(self))
        return {
            "cl": self,
            "result_hidden_fields": list(result_hidden_fields(self)),
            "result_headers": headers,
            "num_sorted_fields": sum(1 for header in headers if header["sortable"] and header["sorted"]),
            "results": rows,
        }
