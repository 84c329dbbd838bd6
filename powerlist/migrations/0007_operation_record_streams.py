"""The operation record gets one chain per stream: entries carry their chain's name
(existing rows: the legacy chain "review", hashes untouched), `seq` is unique per chain,
head names grow to 64 characters, and chains get daily checkpoints."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('powerlist', '0006_user_administration'),
    ]

    operations = [
        migrations.CreateModel(
            name='Checkpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('chain', models.CharField(max_length=64, verbose_name='记录链')),
                ('seq', models.BigIntegerField(verbose_name='序号')),
                ('head_hash', models.CharField(max_length=64, verbose_name='链头哈希')),
                ('count', models.BigIntegerField(verbose_name='条数')),
                ('created_at', models.DateTimeField(verbose_name='时间')),
            ],
            options={
                'verbose_name': '记录检查点',
                'verbose_name_plural': '记录检查点',
                'ordering': ['chain', '-seq'],
            },
        ),
        migrations.AlterModelOptions(
            name='reviewlogentry',
            options={'ordering': ['chain', 'seq'], 'verbose_name': '审核日志', 'verbose_name_plural': '审核日志'},
        ),
        migrations.AddField(
            model_name='reviewlogentry',
            name='chain',
            field=models.CharField(default='review', max_length=64, verbose_name='记录链'),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='chainhead',
            name='name',
            field=models.CharField(max_length=64, unique=True),
        ),
        migrations.AlterField(
            model_name='reviewlogentry',
            name='seq',
            field=models.BigIntegerField(verbose_name='序号'),
        ),
        migrations.AddConstraint(
            model_name='reviewlogentry',
            constraint=models.UniqueConstraint(fields=('chain', 'seq'), name='reviewlog_chain_seq_uniq'),
        ),
        migrations.AddConstraint(
            model_name='checkpoint',
            constraint=models.UniqueConstraint(fields=('chain', 'seq'), name='record_checkpoint_chain_seq_uniq'),
        ),
    ]
