"""Real files of each allowed upload type, made in memory (and a Windows program named like a PDF)."""
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    return image_bytes("PDF")


def xlsx_bytes() -> bytes:
    book = Workbook()
    book.active.append(["姓名", "单位"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


DOCX_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
              '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
              '<Default Extension="xml" ContentType="application/xml"/>'
              '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
              'wordprocessingml.document.main+xml"/></Types>')
DOCX_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
             'officeDocument" Target="word/document.xml"/></Relationships>')
DOCX_BODY = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
             '<w:body><w:p><w:r><w:t>共建协议</w:t></w:r></w:p></w:body></w:document>')


def docx_bytes() -> bytes:
    """A minimal Word package: the three parts Word needs to open it (the same bytes on every call)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in (("[Content_Types].xml", DOCX_TYPES), ("_rels/.rels", DOCX_RELS),
                           ("word/document.xml", DOCX_BODY)):
            package.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def doc_bytes() -> bytes:
    """The header of an OLE compound document (old .doc/.xls), padded to one sector."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def mp4_bytes() -> bytes:
    """An ISO base media file: the ``ftyp`` box, then an empty ``mdat``."""
    ftyp = b"ftypisom" + b"\x00\x00\x02\x00" + b"isomiso2mp41"
    return len(ftyp + b"1234").to_bytes(4, "big") + ftyp + (8).to_bytes(4, "big") + b"mdat"


def exe_bytes() -> bytes:
    """The start of a Windows PE program ("MZ", the DOS stub's message)."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50 + b"This program cannot be run in DOS mode."


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def downloaded(response) -> bytes:
    """The body of a file download, after checking the headers every download carries."""
    assert response.status_code == 200, response.status_code
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private"
    return b"".join(response.streaming_content)
