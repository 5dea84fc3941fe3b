# Django's own formats, but times to the second: the admin's history lists saves made a minute
# apart or less.
DATETIME_FORMAT = "Y年n月j日 H:i:s"
