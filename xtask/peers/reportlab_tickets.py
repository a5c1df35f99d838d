# 1,000 A4 准考证 as SkillCert lays them out, in ReportLab with the same font (Noto Sans SC, TrueType outlines,
# embedded as a subset) and the same photos: the peer the ticket figure is measured against.
import os, sys, time
from python_calamine import CalamineWorkbook
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

# Usage: reportlab_tickets.py FONT.ttf ROSTER.xlsx PHOTO_DIR OUT.pdf — prints the seconds the PDF took (the roster's
# reading not counted).
font, roster, photos, out = sys.argv[1:5]
rows = CalamineWorkbook.from_path(roster).get_sheet_by_index(0).to_python()
head = [str(h) for h in rows[0]]
col = lambda *names: next(i for i, h in enumerate(head) if any(n in h for n in names))
i_name, i_id, i_sex = col("姓名"), col("证件号码", "身份证"), col("性别")
people = [(str(r[i_name]), str(r[i_id]), str(r[i_sex])) for r in rows[1:] if r[i_id]]
start = time.perf_counter()
pdfmetrics.registerFont(TTFont("Sans", font))
c = canvas.Canvas(out, pagesize=A4)
W, H = A4
Y = lambda y: H - y * mm
notice = ["1. 考生须持本准考证和有效身份证件，提前30分钟到达考场。", "2. 开考15分钟后不得入场。", "3. 考试期间须关闭手机等通讯工具，遵守考场纪律。"]
for n, (name, id_number, sex) in enumerate(people):
    c.setFont("Sans", 12); c.drawCentredString(W / 2, Y(24), "广东省示范职业技能评价中心")
    c.setFont("Sans", 22); c.drawCentredString(W / 2, Y(36), "职业技能等级认定准考证")
    room, seat = n // 25 + 1, n % 25 + 1
    fields = [("准考证号", f"155265{n + 1:04}"), ("姓    名", name), ("性    别", sex), ("证件号码", "居民身份证  " + id_number),
              ("认定职业", "电工"), ("认定等级", "四级/中级工"), ("考    点", "示范"), ("考    场", f"第{room:02}考场"), ("座 位 号", f"{seat:02}")]
    top = 46
    for i, (label, value) in enumerate(fields):
        y = top + 10 * i
        c.setFont("Sans", 11); c.drawString(23 * mm, Y(y + 6.8), label)
        c.setFont("Sans", 14 if i == 0 else 11); c.drawString(53 * mm, Y(y + 6.8), value)
        c.line(20 * mm, Y(y + 10), 190 * mm, Y(y + 10))
    c.rect(20 * mm, Y(top + 90), 170 * mm, 90 * mm)
    c.line(50 * mm, Y(top), 50 * mm, Y(top + 90))
    photo = os.path.join(photos, id_number + ".jpg")
    if os.path.exists(photo):
        c.drawImage(photo, 155 * mm, Y(top + 45), 30 * mm, 42 * mm)
    table = top + 102
    c.setFont("Sans", 13); c.drawString(20 * mm, Y(table - 3), "考试安排")
    for i, (a, b, t) in enumerate([("科目", "日期", "时间"), ("理论知识", "2026年12月28日", "09:00–10:30"), ("操作技能", "2026年12月28日", "13:30–16:00")]):
        y = table + 10 * i + 6.8
        c.setFont("Sans", 11); c.drawString(23 * mm, Y(y), a); c.drawString(73 * mm, Y(y), b); c.drawString(128 * mm, Y(y), t)
    c.rect(20 * mm, Y(table + 30), 170 * mm, 30 * mm)
    c.setFont("Sans", 13); c.drawString(20 * mm, Y(table + 44), "考生须知")
    c.setFont("Sans", 10.5)
    for i, line in enumerate(notice):
        c.drawString(20 * mm, Y(table + 52 + 6 * i), line)
    c.setFont("Sans", 10); c.drawCentredString(W / 2, Y(282), "广东省示范职业技能评价中心（盖章）")
    c.showPage()
c.save()
print(f"reportlab: {len(people)} tickets in {time.perf_counter() - start:.2f} s, {os.path.getsize(out) / 1e6:.1f} MB")
