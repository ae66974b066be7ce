"""Every error the editors' desk can show, in Chinese, keyed by the API's stable ``code``: one table.

``index/`` says what went wrong in English for the CLI and gives each ``IssueError`` a ``code`` and the values it was
made from (``details``); the admin API answers ``{"code": ..., "error": <the Chinese below>}``. A script reads the
code, an editor the message. ``tests/test_messages.py`` holds every code raised anywhere in ``bot/`` and ``index/``
to a line here.
"""

from collections.abc import Mapping

from index.errors import Detail, IssueError, mib

MESSAGES: Mapping[str, str] = {
    # The issue file (index/decode.py, index/load.py, index/parse.py, index/jsonissue.py).
    "file_too_large": "文件超过了 {limit} 的上限",
    "utf16_file": "文件是 UTF-16 编码，请另存为 UTF-8 后再上传",
    "binary_file": (
        "这不是文本文件，也不是 PDF（可能选了图片或 Word 文档），请上传版面 PDF、从版面复制出的纯文本或 JSON"
    ),
    "empty_file": "文件是空的",
    "undecodable_file": "文件既不是 UTF-8 也不是 GB18030/GBK 编码的文本（{byte} 这个字节无法识别）",
    "unreadable": "没有在文件中找到文章：文中没有能读作报道、图片说明或简讯的内容，请确认选对了文件",
    "invalid_json": "文件不是有效的 JSON",
    "json_not_list": "JSON 文件应是文章对象的列表",
    "json_empty": "JSON 列表是空的，没有文章",
    "json_not_object": "第 {article} 篇应是一个对象",
    "json_missing_text": "第 {article} 篇缺少“{key}”，或“{key}”是空的",
    "json_bad_value": "第 {article} 篇的“{key}”{expected}",
    "json_empty_name": "第 {article} 篇有空的人名",
    # Page PDFs (index/load.py, index/pdf/).
    "not_pdf": "文件名是 .pdf，但内容不是 PDF，请重新导出版面 PDF",
    "pdf_encrypted": "PDF 设了打开密码，无法读取；请导出不加密的版面 PDF",
    "pdf_broken": "PDF 已损坏，无法读取；请重新导出版面 PDF",
    "pdf_no_text": "PDF 里没有文字层（可能是扫描件或图片），请上传排版软件导出的 PDF，或从版面复制出的文字",
    "pdf_unreadable_text": "PDF 里的文字无法识别（字体没有字符编码表），请导出时嵌入字体编码，或上传从版面复制出的文字",
    "pdf_too_many_pages": "PDF 有 {pages} 页，一次最多读取 {most} 页",
    "pdf_image_too_large": "PDF 里有一张 {width} × {height} 像素的图片，超出了可读取的大小",
    "pdf_too_slow": "读取这个 PDF 超过了 {seconds} 秒，已停止；请检查文件是否正常",
    "pdf_too_complex": "这个 PDF 需要的内存或时间超出了一个版面的上限，已停止读取；请检查文件是否正常",
    # Corrections (index/corrections.py).
    "corrections_not_list": "更正应是一个操作列表",
    "corrections_not_json": "更正不是有效的 JSON",
    "bad_correction": "第 {number} 项更正的“{key}”{expected}",
    "unknown_key": "第 {number} 项更正里有不认识的字段“{key}”",
    "empty_edit": "第 {number} 项更正没有改动第 {article} 篇的任何内容",
    "no_such_article": "第 {number} 项更正：没有第 {article} 篇（这一期共 {count} 篇）",
    "no_next_article": "第 {number} 项更正：第 {article} 篇已是最后一篇，没有下一篇可以合并",
    "last_article": "第 {number} 项更正：这一期至少要保留一篇",
    "bad_split": "第 {number} 项更正：第 {article} 篇共 {paragraphs} 段，只能在第 2 到第 {paragraphs} 段之前拆分",
    "empty_title": "第 {number} 项更正：第 {article} 篇的标题不能为空",
    "empty_name": "第 {number} 项更正：第 {article} 篇的“{key}”里有空的人名",
    "not_clearable": "第 {number} 项更正：第 {article} 篇的“{key}”不能清空",
    "set_and_clear": "第 {number} 项更正：第 {article} 篇的“{key}”不能同时修改和清空",
    "conflicting_corrections": "第 {number} 项更正与另一项冲突：第 {article} 篇被删除、并入前一篇或重复操作",
    "issue_changed": "{date} 这一期在你打开之后被别人改过了，请重新打开再修改",
    "changed_meanwhile": "{date} 这一期刚被别人发布、修改或删除了，你的这次操作没有执行；请重新打开看看再决定",
    # The archive (index/store.py) and the write lock.
    "no_such_issue": "没有 {date} 这一期",
    "busy": "另一项发布、修改、删除或重建索引正在进行，请稍后再试",
    "disk_failed": "无法写入数据目录（磁盘已满或没有权限），什么都没有改变",
    # The cluster's record (index/record.py, index/replica.py).
    "record_unavailable": "暂时连不上发布记录库，这次操作没有完成；读者照常能搜到已发布的内容。"
    "请稍后刷新看看再决定是否重试",
    "record_mismatch": "本机的数据与发布记录库对不上，暂时不能发布；请联系技术人员",
    "record_not_empty": "发布记录库里已经有 {count} 次发布，只能把本机的存档上传到空的记录库",
    # Colloquial words (index/synonyms.py).
    "synonym_too_few": "至少要填两个词：报纸上的说法和一个居民的说法",
    "synonym_bad_word": "“{word}”不是 1 到 {max} 个汉字、字母或数字组成的词",
    "synonym_repeated": "“{word}”填了两次",
    "synonym_exists": "口语词表里已经有这一组了：{line}",
    # Kinds of question never answered (index/offtopic.py).
    "off_topic_bad_kind": "“{kind}”不是 1 到 {max} 个汉字、字母或数字组成的类别名",
    "off_topic_no_word": "至少要填一个标志词",
    "off_topic_bad_word": "“{word}”不是 {min} 到 {max} 个汉字、字母或数字组成的词（单个字会把太多问题算进来）",
    "off_topic_repeated": "“{word}”填了两次",
    "off_topic_exists": "“{word}”已经是“{kind}”这一类的标志词了",
    # The papers' conventions (index/convention_words.py).
    "convention_no_list": "没有“{name}”这一类写法",
    "convention_bad_word": "“{word}”不是 1 到 {max} 个字符、中间没有空格的词",
    "convention_exists": "“{word}”已经在这一类里了",
    # The API's own (bot/admin/).
    "unauthorized": "需要有效的管理口令",
    "not_found": "没有这个地址",
    "method_not_allowed": "这个地址不支持这种请求",
    "bad_request": "请求无效",
    "server_error": "服务器出错了，什么都没有改变；请稍后再试或联系技术人员",
    "invalid_date": "日期“{date}”无效，应为 年-月-日（YYYY-MM-DD）",
    "no_file": "没有收到文件，请选择版面文件",
    "bad_source": "来源应为 desk 或 api",
    "bad_json": "请求应是 JSON 对象，其中“{key}”{expected}",
    "empty_question": "请输入要搜索的问题",
    "no_such_chart": "没有这张图",
    "no_corrections": "没有要保存的修改",
}

#: What ``index.codec`` wanted (``CodecError.expected``), said after the key's name.
EXPECTED: Mapping[str, str] = {
    "present": "缺失",
    "object": "应是一个对象",
    "list": "应是一个列表",
    "date": "应是 YYYY-MM-DD 格式的日期",
    "str": "应是文字",
    "int": "应是整数",
    "float": "应是数字",
    "bool": "应是 true 或 false",
    "one_of": "应是 {options} 之一",
}

#: HTTP statuses the API raises without a code of its own (routing, the token, werkzeug's size check).
STATUS_CODES: Mapping[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    413: "file_too_large",
    500: "server_error",
}


def message(code: str, details: Mapping[str, Detail]) -> str:
    """The Chinese message of ``code`` with its details filled in; an unknown code still says something useful."""
    template = MESSAGES.get(code)
    if template is None:
        return f"出错了（{code}）"
    values = _Values(details)
    for size in ("size", "limit"):
        if isinstance(values.get(size), int):
            values[size] = mib(int(values[size]))
    expected = values.get("expected")
    if isinstance(expected, str):
        values["expected"] = EXPECTED.get(expected, "取值不对").format(options=values.get("options", ""))
    return template.format_map(values)


class _Values(dict[str, Detail]):
    """Details for a template; one the raiser did not give reads as nothing rather than failing the message."""

    def __missing__(self, key: str) -> str:
        return ""


def issue_message(error: IssueError) -> str:
    """An ``IssueError`` in Chinese, naming the file and the line where it has them."""
    text = message(error.code, error.details)
    if error.path and error.line is not None:
        return f"{error.path} 第 {error.line} 行：{text}"
    if error.path:
        return f"{error.path}：{text}"
    if error.line is not None:
        return f"第 {error.line} 行：{text}"
    return text
