"""The Dash app: explore the digital divide by group, against the targets of UNGA resolution 70/125."""
