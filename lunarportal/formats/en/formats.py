# Day month year, as the sources (and most of the portal's readers) write dates.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
YEAR_MONTH_FORMAT = "F Y"
# To the second: the admin's history lists saves made a minute apart or less.
DATETIME_FORMAT = "j F Y, H:i:s"
