"""Component ids, in one place so pages, callbacks and tests agree."""

URL = "url"
HEADER = "site-header"
FOOTER = "site-footer"
QUERY = "url-query"  # dcc.Store: the query string the page's controls stand for (written into the URL)

EX_INDICATOR = "explore-indicator"
EX_SEX = "explore-sex"
EX_GROUPS = "explore-groups"
EX_COUNTRIES = "explore-countries"
EX_FROM = "explore-from"
EX_TO = "explore-to"
EX_TABS = "explore-tabs"
EX_MEMBERS = "explore-members"
EX_YEAR = "explore-year"
EX_BODY = "explore-body"
EX_GRAPH = "explore-graph"

GE_GROUPS = "gender-groups"
GE_MEMBERS_OF = "gender-members-of"
GE_FROM = "gender-from"
GE_TO = "gender-to"
GE_BODY = "gender-body"

OV_GROUP = "overview-group"
OV_BODY = "overview-body"

CO_INDICATOR = "country-indicator"
CO_FROM = "country-from"
CO_TO = "country-to"
CO_GROUPS = "country-groups"
CO_BODY = "country-body"
