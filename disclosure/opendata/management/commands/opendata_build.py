from django.core.management.base import BaseCommand

from disclosure.opendata.services import datasets_rebuild_all


class Command(BaseCommand):
    help = "重新生成全部开放数据文件:每个公开批次和每个省的 CSV、XLSX、JSON 及 SHA-256 校验文件。"

    def handle(self, *args, **options):
        datasets_rebuild_all()
        self.stdout.write(self.style.SUCCESS("开放数据文件已重新生成。"))
