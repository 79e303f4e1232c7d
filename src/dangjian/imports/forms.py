from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from dangjian.imports.entities import spec_for
from dangjian.imports.models import Entity
from dangjian.imports.reader import FileProblem, open_sheet


def max_upload_bytes() -> int:
    return getattr(settings, "DANGJIAN_IMPORT_MAX_BYTES", 30 * 1024 * 1024)


class UploadForm(forms.Form):
    entity = forms.ChoiceField(label=_lazy("数据类型"), choices=Entity.choices)
    file = forms.FileField(label=_lazy("Excel 文件（.xlsx）"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = max_upload_bytes()
        if upload.size > limit:
            raise ValidationError(
                _("文件大小为%(size).1f MB，超过上限%(max)d MB，请分成几个文件导入")
                % {"size": upload.size / 1024 / 1024, "max": limit // 1024 // 1024}
            )
        name = upload.name.lower()
        if name.endswith(".xls"):
            raise ValidationError(_("这是旧版 Excel（.xls）文件，请在 Excel 或 WPS 中“另存为”.xlsx 格式后再导入"))
        if not name.endswith(".xlsx"):
            raise ValidationError(_("只能导入 Excel（.xlsx）文件，请使用下载的导入模板填写"))
        return upload

    def clean(self):
        """Check the sheet and its header row now, so a wrong file is refused on the form itself."""
        data = super().clean()
        upload, entity = data.get("file"), data.get("entity")
        if upload and entity:
            upload.seek(0)
            try:
                open_sheet(upload, spec_for(entity)).close()
            except FileProblem as exc:
                self.add_error("file", str(exc))
            upload.seek(0)
        return data


class UnmaskedExportForm(forms.Form):
    """The explicit confirmation an unmasked export needs (a POST, so a link or an image can't trigger it)."""

    format = forms.ChoiceField(label=_lazy("文件格式"), choices=[(f, f.upper()) for f in ("xlsx", "csv", "json")])
    confirm = forms.BooleanField(label=_lazy("我确认因工作需要导出完整的身份证号码和电话，并妥善保管导出的文件"),
                                 error_messages={"required": _lazy("请勾选确认后再导出")})
