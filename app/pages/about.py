"""/about: sources, vintages and licences; group definitions with dates; the methods."""

from __future__ import annotations

import dash
import pandas as pd
from dash import html

from app import views
from app.components import data_table, notices_block, source_field
from app.context import get_data, url_context
from app.i18n import format_date, lookup, translator
from app.state import AboutView, parse
from indicators import published
from indicators.tidy import load_corrections

dash.register_page(__name__, path="/about", title="About & methods · Digital divide dashboard", order=4)


def layout(**query) -> html.Div:
    view, notices = parse(AboutView, query, url_context())
    t = translator(view.lang)
    data = get_data()
    lang = view.lang
    prov = data.snapshot.provenance.get("sources", {})
    src_rows = pd.DataFrame(
        [
            {
                "source": source_field(key, "publisher", s["publisher"], lang)
                + t("about.source_sep")
                + source_field(key, "title", s["title"], lang),
                "licence": source_field(key, "licence", s["licence"], lang),
                "vintage": format_date(s.get("vintage"), lang, "medium"),
                "indicators": t("app.list_sep").join(data.registry[i].title_in(lang) for i in s.get("indicators", []))
                or "–",
                "rows": float(s.get("tidy_rows", 0)),
            }
            for key, s in prov.items()
        ]
    )
    src_cols = {
        "source": t("about.col_source"),
        "licence": t("about.col_licence"),
        "vintage": t("about.col_vintage"),
        "indicators": t("about.col_indicators"),
        "rows": t("about.col_rows"),
    }
    year = data.last_year
    grp_rows = pd.DataFrame(
        [
            {
                "group": t("app.name_code", name=data.groups.label(g, lang), code=g),
                "definition": lookup(
                    lang, f"data.group_definition.{g}", data.groups.definition(g).get("defined_by", "")
                ),
                "members": float(len(data.members(g, year))),
            }
            for g in data.group_ids
        ]
    )
    grp_cols = {
        "group": t("about.col_group"),
        "definition": t("about.col_definition"),
        "members": t("about.col_members", year=year),
    }
    corrections = [
        html.Li(
            t(
                "about.correction_item",
                publisher=source_field(c["source"], "publisher", prov.get(c["source"], {}).get("publisher", ""), lang),
                code=c["source_code"],
                country=data.country_name(c["iso3"], lang),
                iso3=c["iso3"],
                year=c["year"],
                reason=lookup(
                    lang, f"data.correction.{c['source_code']}_{c['iso3']}_{c['year']}", " ".join(c["reason"].split())
                ),
            )
        )
        for c in load_corrections()
    ]
    beside = views.beside_rows(data, t)
    beside_cols = {
        "group": t("about.col_group"),
        "year": t("table.year"),
        "ours": t("published.ours"),
        **{
            src: views.publisher_label(src, data.published_version(src, ("internet_users",))[0], t)
            for src in published.PUBLISHERS
        },
    }
    superseded = views.superseded_rows(data, t)
    superseded_cols = {
        "indicator": t("about.col_indicators"),
        "dropped": t("about.col_dropped"),
        "kept": t("about.col_kept"),
        "economies": t("about.col_economies"),
    }
    revisions = views.revision_table(data, t)
    revision_cols = {
        "name": t("table.country"),
        "year": t("table.year"),
        "previous": t("about.col_previous"),
        "value": t("about.col_revised"),
        "change": t("about.col_change"),
    }
    return html.Div(
        [
            notices_block(notices, t),
            html.H1(t("about.heading")),
            html.P(t("about.intro"), className="intro"),
            html.Section(
                [
                    html.H2(t("about.sources")),
                    data_table(src_rows, src_cols, lang, t("about.sources"), 0),
                    html.P(t("about.licence_note"), className="licence"),
                ]
            ),
            html.Section(
                [
                    html.H2(t("about.groups")),
                    html.P(t("about.groups_intro")),
                    html.P(t("about.ldc_history")),
                    data_table(grp_rows, grp_cols, lang, t("about.groups"), 0),
                ]
            ),
            html.Section(
                [
                    html.H2(t("about.methods")),
                    html.Ul(
                        [
                            html.Li(t(f"about.m_{k}"))
                            for k in (
                                "aggregation",
                                "gaps",
                                "coverage",
                                "band",
                                "population",
                                "projection",
                                "verdicts",
                                "witnesses",
                                "breaks",
                                "parity",
                            )
                        ]
                    ),
                ]
            ),
            html.Section(
                [
                    html.H2(t("about.beside")),
                    html.P(t("about.beside_why")),
                    data_table(beside, beside_cols, lang, t("about.beside_caption")),
                    html.P(views.comparison_sentence(data, t), id="publisher-comparison"),
                    html.P(t("about.band_measured"), id="band-measured"),
                ],
                id="publishers-beside-ours",
            ),
            html.Section(
                [
                    html.H2(t("about.one_source")),
                    html.P(with_code(t("about.one_source_text"))),
                    data_table(superseded, superseded_cols, lang, t("about.one_source"), 0),
                ],
                id="one-source",
            ),
            html.Section(
                [
                    html.H2(t("about.revisions")),
                    html.P(views.revision_sentence(data, t) or t("about.no_revisions"), id="revision-summary"),
                    data_table(revisions, revision_cols, lang, t("about.revisions_caption"), 2)
                    if len(revisions)
                    else html.Div(),
                ],
                id="revisions",
            ),
            prices_section(t),
            html.Section([html.H2(t("about.corrections")), html.P(t("about.m_corrections")), html.Ul(corrections)]),
            html.P(t("about.maps"), className="source"),
        ]
    )


def prices_section(t) -> html.Section:
    """Where prices come from, how a group's price is made (a median), how ITU's own medians are made (fixed panels),
    and what was priced when (the basket history)."""
    data = get_data()
    lang = t.lang
    history = views.basket_history_rows(data, t)
    history_cols = {
        "indicator": t("country.col_indicator"),
        "basket": t("price.col_basket"),
        "years": t("price.col_years"),
    }
    beside = views.price_beside_rows(data, t)
    beside_cols = {
        "group": t("overview.col_group"),
        "ours": t("price.col_ours"),
        "reporting": t("price.col_reporting"),
        "itu_2023": t("price.col_itu_all"),
        "itu_2018_2023": t("price.col_itu_panel", panel="2018–2023"),
        "itu_2008_2023": t("price.col_itu_panel", panel="2008–2023"),
    }
    return html.Section(
        [
            html.H2(t("price.about_heading")),
            html.P(t("price.about_source")),
            html.P(t("price.about_median")),
            html.P(t("price.about_panels")),
            data_table(beside, beside_cols, lang, t("price.about_beside_caption"), 2),
            html.H3(t("price.about_history")),
            data_table(history, history_cols, lang, t("price.about_history"), 0),
        ],
        id="prices",
    )


def with_code(text: str) -> list:
    """``text`` with its `backticked` commands and file names as <code lang="en"> (they are not translated)."""
    parts = text.split("`")
    return [html.Code(p, lang="en") if i % 2 else p for i, p in enumerate(parts) if p]
