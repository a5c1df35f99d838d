# python-calamine (the Python binding of calamine) merely reading a roster's first sheet into Python values: the peer
# the .xlsx import figure is measured against. Prints the wall time of the read alone.
import sys
import time

from python_calamine import CalamineWorkbook

start = time.perf_counter()
rows = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()
print(f"python-calamine: {len(rows)} rows in {time.perf_counter() - start:.3f} s")
