# A CFF-outline OpenType font (our Noto Sans SC) as a TrueType-outline font: ReportLab embeds only TrueType outlines.
# Used once by the ticket benchmark to give ReportLab the same font. Usage: otf_to_ttf.py IN.otf OUT.ttf
import sys
import time
from fontTools.ttLib import TTFont, newTable
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
start = time.perf_counter()
font = TTFont(sys.argv[1])
glyphOrder = font.getGlyphOrder()
glyphSet = font.getGlyphSet()
glyf = newTable("glyf"); glyf.glyphOrder = glyphOrder; glyf.glyphs = {}
for name in glyphOrder:
    pen = TTGlyphPen(glyphSet)
    glyphSet[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
    glyf[name] = pen.glyph()
font["glyf"] = glyf
font["loca"] = newTable("loca")
maxp = font["maxp"]; maxp.tableVersion = 0x00010000
for a in ("maxZones","maxTwilightPoints","maxStorage","maxFunctionDefs","maxInstructionDefs","maxStackElements","maxSizeOfInstructions","maxComponentElements"):
    setattr(maxp, a, 0)
maxp.maxZones = 1
font["head"].glyphDataFormat = 0
post = font["post"]; post.formatType = 2.0; post.extraNames = []; post.mapping = {}
post.glyphOrder = glyphOrder
del font["CFF "]
if "VORG" in font: del font["VORG"]
font.sfntVersion = "\x00\x01\x00\x00"
font.save(sys.argv[2])
print(f"otf_to_ttf: {len(glyphOrder)} glyphs in {time.perf_counter() - start:.1f} s")
