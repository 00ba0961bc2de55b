"""The one layer that knows WordprocessingML: namespaces, units, writing, reading, editing and
packaging. lxml is imported only here; everything above speaks in Word words (paragraphs,
margins in mm, sizes in pt)."""
