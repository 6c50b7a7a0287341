"""Signed forms of the demo county's invented people, as a scanner would deliver them: small,
valid one-page PDFs saying what they stand for (``make run`` shows them as signed copies)."""

from __future__ import annotations

#: the signed copies the services seed: (record key, form, title on the page)
SIGNED_COPIES = (
    ("intake:1", "data_protection_consent", "Datenschutzrechtliche Einwilligung (Muster)"),
    ("intake:1", "confidentiality_release", "Schweigepflichtentbindung (Muster)"),
    ("case:intake-1", "counselling_agreement", "Beratungsvereinbarung (Muster)"),
)


def signed_form_pdf(title: str) -> bytes:
    """A one-page PDF with ``title`` and a line for the signature (ASCII text only)."""
    text = title.encode("latin-1", "replace").decode("latin-1")
    text = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = (f"BT /F1 16 Tf 72 760 Td ({text}) Tj ET\n"
              "BT /F1 11 Tf 72 700 Td (Demo-Landkreis - erfundene Person, nur zur Vorfuehrung) Tj ET\n"
              "72 620 m 300 620 l S\n"
              "BT /F1 10 Tf 72 606 Td (Unterschrift) Tj ET\n").encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)
