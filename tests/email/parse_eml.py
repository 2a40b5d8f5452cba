"""Independent check of an .eml opsite wrote: Python's own MIME parser reads it and prints what
the Rust test asserts, as JSON (structure, decoded headers, parts, cid references)."""
import email
import email.policy
import json
import re
import sys

with open(sys.argv[1], "rb") as f:
    msg = email.message_from_binary_file(f, policy=email.policy.default)


def tree(part):
    if part.is_multipart():
        return {"type": part.get_content_type(), "parts": [tree(p) for p in part.iter_parts()]}
    return {"type": part.get_content_type()}


html = text = None
images = {}
for part in msg.walk():
    ctype = part.get_content_type()
    if ctype == "text/html":
        html = part.get_content()
    elif ctype == "text/plain":
        text = part.get_content()
    elif ctype.startswith("image/"):
        cid = (part.get("Content-ID") or "").strip("<>")
        images[cid] = len(part.get_payload(decode=True))

print(json.dumps({
    "subject": str(msg["Subject"]),
    "from": str(msg["From"]),
    "to": [str(a) for a in msg["To"].addresses],
    "date": str(msg["Date"]),
    "message_id": str(msg["Message-ID"]),
    "tree": tree(msg),
    "html": html,
    "text": text,
    "images": images,
    "cids_in_html": sorted(set(re.findall(r'cid:([^"\'\s>]+)', html or ""))),
    "urls_in_html": sorted(set(re.findall(r'(?:href|src)="(https?://[^"]+)"', html or ""))),
}, ensure_ascii=False))
