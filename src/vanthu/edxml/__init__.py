"""edXML packages of QCVN 102:2016/BTTTT: written for a batch's issued documents, read and checked
when received. This package is the exchange format's own XML layer (as ooxml/ is Word's)."""
