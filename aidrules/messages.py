"""Problems in Chinese for policy officers (中文提示), the English kept as the default.

Every :class:`~aidrules.errors.Problem` and :class:`~aidrules.errors.FieldProblem` is
written in English where it is raised; :func:`render` gives it in the language asked
for. A translation is a pair of templates in :data:`ZH`: the English message with
``{placeholders}`` and its Chinese text, matched whole. A message that has no Chinese
text yet is shown in English, so a new problem never goes missing: add its pair here.

Placeholders keep what the English said (names, values, positions); values that are
themselves words of the language (kinds of value, "a name", "a number") are translated
through :data:`TERMS`."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from functools import cache

from aidrules.errors import FieldProblem, Problem

LANGUAGES = ("en", "zh")

# English message template → Chinese. Checked in order; the first whole match wins.
ZH: dict[str, str] = {
    # -- expressions: reading (parser) ---------------------------------------------------
    "cannot read the expression: {found}": "无法读取表达式：{found}",
    "unexpected character {char}": "此处不应出现字符 {char}",
    "unexpected {token}": "此处不应出现 {token}",
    "the expression ends too early": "表达式不完整，提前结束了",
    "a text with no closing quote": "文本缺少结尾的引号",
    "'{word}' is not a name the rules know (names are written in Latin letters, like "
    "per_capita_income)":
        "“{word}”不是规则认识的名称（名称须用英文字母书写，如 per_capita_income）",
    "the expression is too long or nested too deeply (more than {n} operations or calls "
    "inside one another)": "表达式过长或嵌套过深（相互嵌套的运算或函数超过 {n} 层）",
    "empty expression": "表达式为空",
    "expected an expression, got {kind}": "此处应为表达式，实际为 {kind}",
    # -- expressions: checking (checker) -------------------------------------------------
    "unknown fact '{name}'": "未知的事实“{name}”",
    "unknown parameter '{name}'": "未知的政策参数“{name}”",
    "unknown function '{name}'": "未知的函数“{name}”",
    "unknown aid type '{name}'": "未知的救助类别“{name}”",
    "unknown aid type {name}": "未知的救助类别 {name}",
    "'{value}' is not a value of {field}": "“{value}”不是 {field} 的取值",
    "cannot compare {left} with {right}": "不能将{left}与{right}比较",
    "'{op}' needs numbers or amounts, not {kind}": "“{op}”只能比较数值或金额，不能比较{kind}",
    "this gives {found}, but aid type '{aid}' is paid with period: {period}":
        "此处得到的是{found}，但救助类别“{aid}”按 period: {period} 发放",
    "this gives {kind}, not a condition": "此处得到的是{kind}，不是条件",
    "this gives {kind}": "此处得到的是{kind}",
    "cannot compute {left} {op} {right}": "无法计算 {left} {op} {right}",
    "{function}(...) converts {takes}, not {found}":
        "{function}(...) 只能换算{takes}，不能换算{found}",
    "{function}(...) cannot mix {a} and {b}": "{function}(...) 不能混用{a}和{b}",
    "{function}(...) takes one amount, like {example}":
        "{function}(...) 只接受一个金额，如 {example}",
    "cannot negate {kind}": "不能对{kind}取负",
    "cannot round {kind}": "不能对{kind}舍入",
    "the two branches differ: {a} and {b}": "两个分支的类型不同：{a}和{b}",
    "a list may only hold texts": "列表只能包含文本",
    "'{name}' is {kind}; use it inside count(...), sum(...), any(...) or all(...)":
        "“{name}”是{kind}，须在 count(...)、sum(...)、any(...) 或 all(...) 中使用",
    "'where' only filters a list in an aggregate": "“where”只能在汇总函数中筛选列表",
    # -- what loading proves (proofs) ---------------------------------------------------
    "division by '{what}', which can be 0": "除数“{what}”可能为 0",
    "division by the parameter '{name}', whose value is {value} in {where} from {day} ({at})":
        "除数为政策参数“{name}”，其在 {where} 自 {day} 起取值为 {value}（{at}）",
    "rule '{rule}' splits into more than {n} alternatives for the engine (each if, min or max "
    "inside a comparison doubles them)":
        "规则“{rule}”在规则引擎中拆分为超过 {n} 个分支"
        "（比较中的每个 if、min 或 max 都会使分支加倍）",
    "this condition is nested too deeply once the derived facts it reads are written out "
    "(depth {depth}, at most {most})":
        "展开所引用的派生事实后，此条件嵌套过深（{depth} 层，最多 {most} 层）",
    "'nonzero' must be true or false, got {value}": "“nonzero”应为 true 或 false，实际为 {value}",
    # -- tables and periods -------------------------------------------------------------
    "'{key}' is not a key of '{table}'": "“{key}”不是分档表“{table}”的键",
    "'{table}' has no entry for {missing}, which {what} can be":
        "分档表“{table}”没有 {missing} 这一档，而 {what} 可能取该值",
    "period {period} of aid type '{aid}' is not a period":
        "救助类别“{aid}”的发放周期 {period} 不是有效的周期",
    "aid type '{aid}' has rules that give an amount but no period":
        "救助类别“{aid}”的规则给出了金额，但未声明发放周期（period）",
    "{name} is declared in {where}, which is not above {layer}":
        "{name} 已在 {where} 中声明，而该处不在 {layer} 之上",
    "keys differ from those declared in {where}": "键与 {where} 中声明的不同",
    # -- rule files (loader, analysis) ---------------------------------------------------
    "unknown key '{key}' in {what}": "{what}中有未知的键“{key}”",
    "unknown key '{key}'": "未知的键“{key}”",
    "unknown place '{name}' in '{key}'": "“{key}”中有未知的占位符“{name}”",
    "{what} has no '{key}'": "{what}缺少“{key}”",
    "'{key}' must be a text, got {value}": "“{key}”应为文本，实际为 {value}",
    "'{key}' must be a list": "“{key}”应为列表",
    "rule '{rule}' needs its legal basis": "规则“{rule}”缺少法律依据",
    "{what} needs its legal basis": "{what}缺少法律依据",
    "rule id '{rule}' is used twice (first at {at})": "规则编号“{rule}”重复使用（首次在 {at}）",
    "fact '{fact}' depends on itself through {path}": "事实“{fact}”循环依赖自身：{path}",
    "fact '{fact}' is already defined": "事实“{fact}”已定义过",
    "fact '{fact}' has no 'formula'": "事实“{fact}”缺少“formula”（公式）",
    "rules '{a}' ({at}) and '{b}' can both hold for one household and give different "
    "amounts, and neither overrides the other":
        "规则“{a}”（{at}）与“{b}”可能对同一家庭同时成立且金额不同，且均未声明优先",
    "a rule file must be a mapping": "规则文件应为映射（键值对）",
    "the rule book has no book.yaml": "规则库缺少 book.yaml",
    "no such rules directory": "规则目录不存在",
    "unknown scope '{scope}'": "未知的适用范围“{scope}”",
    "aid type '{aid}' has no rule that concludes it": "没有任何规则认定救助类别“{aid}”",
    # -- YAML and files ------------------------------------------------------------------
    "not valid YAML: {what}": "不是有效的 YAML：{what}",
    "the file is not UTF-8 text": "文件不是 UTF-8 文本",
    "cannot read the file: {why}": "无法读取文件：{why}",
    "the file is empty": "文件为空",
    "aliases (*name) here expand the file to more than {n} values; write the repeated part "
    "out, or split the file":
        "此处的别名（*名称）使文件展开后超过 {n} 个值；请把重复部分直接写出，或拆分文件",
    "an alias (*name) inside the value it names repeats it without end":
        "别名（*名称）位于它所指的值之内，会无限重复",
    # -- policies ------------------------------------------------------------------------
    "missing '{key}'": "缺少“{key}”",
    "unknown unit '{unit}'": "未知的单位“{unit}”",
    "there is no national layer": "缺少全国层（national/）",
    "{value} is not a real date": "{value} 不是真实存在的日期",
    "'{value}' is not a date": "“{value}”不是日期",
    "value={value} is negative": "value={value} 为负数",
    "value={value} has more than 2 decimals": "value={value} 的小数超过两位",
    "value={value} is not an amount of money": "value={value} 不是金额",
    "the first step of the schedule is {n}, so a value below it has no entry":
        "分档表的第一档从 {n} 开始，低于它的值没有对应的档",
    "keys={keys} are not in increasing order": "keys={keys} 未按从小到大排列",
    "value={value} is not one of the choices": "value={value} 不在可选值之中",
    "value={value} is not true or false": "value={value} 不是 true 或 false",
    "value={value} is not a list": "value={value} 不是列表",
    "date {a} comes after {b} (line {line})": "日期 {a} 排在 {b}（第 {line} 行）之后",
    "date {a} is given twice (first at line {line})": "日期 {a} 出现两次（首次在第 {line} 行）",
    "the entry for {day} has no value": "{day} 的条目没有取值",
    "the entry for {day} is {value}, not a mapping": "{day} 的条目是 {value}，不是映射",
    "the entry for {day} has both value and inherit": "{day} 的条目同时有 value 和 inherit",
    "the value for {day} has both source and assumed": "{day} 的取值同时有 source 和 assumed",
    "the value for {day} has neither source nor assumed":
        "{day} 的取值既没有 source（来源）也没有 assumed（假定理由）",
    "a policy file cannot sit directly in the policy directory": "政策文件不能直接放在政策目录下",
    "a parameter file cannot sit directly in a jurisdiction directory":
        "参数文件不能直接放在行政区目录下",
    "a parameter file must end in .yaml": "参数文件名须以 .yaml 结尾",
    "a jurisdiction cannot sit inside national/": "行政区目录不能放在 national/ 之内",
    "value={value} divides by zero": "value={value} 除以零",
    "value={value} is not a whole number of fen in {unit} ({exact})":
        "value={value} 换算为 {unit} 后不是整分（{exact}）",
    "value={value} is not a whole number of {unit}": "value={value} 不是以 {unit} 计的整数",
    "inherit={value} must be true": "inherit={value} 只能为 true",
    "inherit: true but no layer above {where} has {name}":
        "inherit: true，但 {where} 以上各层都没有 {name}",
    "inherit: true on the first date does nothing": "第一个日期上的 inherit: true 没有作用",
    "{name} has unit {unit} here but {other} in {at}":
        "{name} 在此处单位为 {unit}，但在 {at} 为 {other}",
    "unit {unit} differs from {other} declared in {at}": "单位 {unit} 与 {at} 声明的 {other} 不同",
    "unit {unit} cannot be converted to {other}, the parameter's unit":
        "单位 {unit} 无法换算为该参数的单位 {other}",
    "mode={value} is not a rounding mode": "mode={value} 不是舍入方式",
    "to={value} is not a rounding step": "to={value} 不是舍入单位",
    "values is empty, not dates with values": "values 为空，没有带取值的日期",
    "assumed={value} is not text": "assumed={value} 不是文本",
    "the file holds a list, not a mapping": "文件内容是列表，不是映射",
    "directory '{name}' has no jurisdiction.yaml but holds the jurisdiction {inner}":
        "目录“{name}”没有 jurisdiction.yaml，却包含行政区 {inner}",
    "directory '{name}' holds policy files but has no jurisdiction.yaml":
        "目录“{name}”包含政策文件，但没有 jurisdiction.yaml",
    "choices differ from those declared in {at}": "可选值与 {at} 中声明的不同",
    "the source has no document": "来源（source）缺少文件名称（document）",
    "{name} is a parameter, but {folder} also holds parameters (e.g. {example})":
        "{name} 是一个参数，但 {folder} 目录下也有参数（如 {example}）",
    "code={value} is not an administrative division code": "code={value} 不是行政区划代码",
    "source={value} is not a mapping": "source={value} 不是映射",
    "{value} has a time of day": "{value} 带有时刻",
    "'{name}' is not a valid parameter name": "“{name}”不是有效的参数名",
    "missing '{key}' (no layer above {where} has {name}, so this file declares it)":
        "缺少“{key}”（{where} 以上各层都没有 {name}，须由本文件声明）",
    # -- application fields (model) ------------------------------------------------------
    "is required": "为必填项",
    "must be non-empty text, got {value}": "应为非空文本，实际为 {value}",
    "must be true or false, got {value}": "应为 true 或 false，实际为 {value}",
    "must be a date like 2025-03-01, got {value}": "应为日期（如 2025-03-01），实际为 {value}",
    "must be a non-negative amount, got {value}": "应为非负金额，实际为 {value}",
    "must be an amount in whole fen (at most 2 decimal places), got {value}":
        "金额应精确到分（最多两位小数），实际为 {value}",
    "must be an amount below {limit} yuan, got {value}": "金额应低于 {limit} 元，实际为 {value}",
    "must be a whole number from {low} to {high}, got {value}":
        "应为 {low} 到 {high} 之间的整数，实际为 {value}",
    "must be a whole number ≥ {low}, got {value}": "应为不小于 {low} 的整数，实际为 {value}",
    "must be one of {values}, got {value}": "应为以下之一：{values}，实际为 {value}",
    "must be a list, got {value}": "应为列表，实际为 {value}",
    "must be a mapping of fields, got {value}": "应为字段映射，实际为 {value}",
    "must list at least one member": "至少应列出一名家庭成员",
    "unknown field {name}": "未知的字段 {name}",
    "must be a name of at most {n} characters, got {m}": "姓名最多 {n} 个字符，实际为 {m} 个",
    "must not hold the hidden character {code} ({what})": "不得包含隐藏字符 {code}（{what}）",
    "must list at most {n} entries, got {m}": "最多列出 {n} 项，实际为 {m} 项",
    "must count at least one member as living in the household (every member is away or not "
    "co-residing)": "至少应有一名成员计入共同生活家庭（现在每名成员都不在家或不共同居住）",
    "must be a date no later than {day} (a year ahead of today), got {value}":
        "日期不得晚于 {day}（今天起一年内），实际为 {value}",
    "gives a birth date of {born}, after the application date {on}":
        "出生日期为 {born}，晚于申请日期 {on}",
    "gives a birth date of {born}: {age} years old on {on}, older than {most}":
        "出生日期为 {born}：至 {on} 已 {age} 岁，超过 {most} 岁",
}

# Fragments after "expected" → Chinese (whole matches first, then per " or " part).
ZH_EXPECTED: dict[str, str] = {
    "amounts of the same period (per month, per year or once)":
        "同一期间的金额（每月、每年或一次性）",
    "one of {values}": "以下之一：{values}",
    "two values of the same kind": "两个同类的值",
    "a condition or a formula": "条件或公式",
    "true/false": "是/否（条件）",
    "shorter expressions: name a part as a derived fact under 'facts:' and use its name":
        "较短的表达式：把其中一部分在“facts:”下定义为派生事实，再引用其名称",
    "'overrides: [{rule}]' on one of them, or a condition that excludes the other":
        "在其中一条规则上写“overrides: [{rule}]”，或加一个排除另一条的条件",
    "'basis: {document: ..., article: ...}'": "“basis: {document: ..., article: ...}”",
    "a file saved as UTF-8": "以 UTF-8 保存的文件",
    "the same kind": "同类的值",
    "'facts:' and/or 'rules:'": "“facts:”和/或“rules:”",
    "a rule with 'aid: {aid}' in a rule file, or no '{x}' in book.yaml":
        "在规则文件中写一条“aid: {aid}”的规则，或从 book.yaml 中删去“{x}”",
    "a guard such as 'if {x} > 0 then ... else ...', a condition '{y} > 0' in the rule, or a "
    "divisor that cannot be 0 (a derived fact declared 'nonzero: true')":
        "保护条件，如“if {x} > 0 then ... else ...”，或在规则中加条件“{y} > 0”，"
        "或使用不可能为 0 的除数（声明了“nonzero: true”的派生事实）",
    "a parameter whose every value is above 0, or a guard such as 'if {x} > 0 then ... else ...'":
        "各取值均大于 0 的参数，或保护条件，如“if {x} > 0 then ... else ...”",
    "at most {n}: make the min, max or if a derived fact of its own (it is then sent as one "
    "value)": "最多 {n} 个：把该 min、max 或 if 定义为单独的派生事实（作为一个值送入引擎）",
    "fewer facts built on one another, or a min, max or aggregate fact (sent as one value)":
        "减少层层相套的派生事实，或改用 min、max 或汇总类事实（作为一个值送入引擎）",
    "dates in increasing order": "按先后顺序排列的日期",
    "whole numbers starting at 0, such as [0, 1, 3, 5]": "从 0 开始的整数，如 [0, 1, 3, 5]",
    "whole numbers from the smallest up, such as [0, 1, 3, 5]":
        "从小到大的整数，如 [0, 1, 3, 5]",
    "each date once": "每个日期只出现一次",
    "a date that exists in the calendar": "日历上存在的日期",
    "a date written YYYY-MM-DD, e.g. 2024-07-01": "写作 YYYY-MM-DD 的日期，如 2024-07-01",
    "a date alone, written YYYY-MM-DD": "只写日期（YYYY-MM-DD），不带时刻",
    "a directory national/ holding the national defaults": "存放全国默认值的 national/ 目录",
    "description, description_en, unit and values": "description、description_en、unit 和 values",
    "keys description, description_en, unit and values":
        "键 description、description_en、unit 和 values",
    "an amount in yuan with at most 2 decimals, e.g. 710 or 334.75":
        "以元为单位、最多两位小数的金额，如 710 或 334.75",
    "an amount to the fen (2 decimals)": "精确到分的金额（两位小数）",
    "an amount of 0 or more": "不小于 0 的金额",
    "a fraction such as 1/6": "分数，如 1/6",
    "a whole number": "整数",
    "true or false": "true 或 false",
    "a list of texts, e.g. [car, truck]": "文本列表，如 [car, truck]",
    "inherit: true, or a value:": "inherit: true，或 value:",
    "either value: or inherit: true": "value: 与 inherit: true 二者之一",
    "exactly one of them": "二者恰好其一",
    "some text for assumed": "assumed 的文字说明",
    "a value on the first date; inherit: true only after a value":
        "第一个日期给出取值；inherit: true 只能用在已有取值之后",
    "a value: here; only a lower layer can inherit": "在此处给出 value:；只有下层可以继承",
    "value: ..., or inherit: true": "value: ...，或 inherit: true",
    "value: with source: or assumed: under the date, or inherit: true":
        "日期下写 value: 及 source: 或 assumed:，或 inherit: true",
    "at least one date (YYYY-MM-DD) with a value and its source under it":
        "至少一个日期（YYYY-MM-DD），其下有取值及来源",
    "up, down or half_up": "up、down 或 half_up",
    "'1' (yuan), '0.1' (jiao) or '0.01' (fen)": "'1'（元）、'0.1'（角）或 '0.01'（分）",
    "the .yaml ending": ".yaml 结尾",
    "yuan/month or yuan/year": "yuan/month 或 yuan/year",
    "the same choices, or no choices line": "相同的可选值，或不写 choices",
    "document: <the title of the document>": "document: <文件名称>",
    "one unit for a parameter in every jurisdiction": "同一参数在各行政区使用同一单位",
    "a one-line description in Chinese": "一行中文说明",
    "it inside a topic directory, e.g. policies/national/dibao/x.yaml":
        "放在主题目录中，如 policies/national/dibao/x.yaml",
    "it inside national/<topic>/ or <jurisdiction>/<topic>/":
        "放在 national/<主题>/ 或 <行政区>/<主题>/ 中",
    "it beside national/, as policies/heilongjiang/":
        "与 national/ 并列，如 policies/heilongjiang/",
    "an amount that converts exactly, or the figure written in {unit}":
        "能精确换算的金额，或直接按 {unit} 写出",
    "the same unit as the layer above, or no unit line (it is inherited); a figure in another "
    "unit takes unit: on that value":
        "与上层相同的单位，或不写 unit（继承上层）；其他单位的数字在该取值上写 unit:",
    "source: {document: ..., article: ...}, or assumed: <why this value was chosen>":
        "source: {document: ..., article: ...}，或 assumed: <选用此值的理由>",
    "source: {document: <title>, article: <第几条>} (url: and note: optional)":
        "source: {document: <文件名称>, article: <第几条>}（url: 与 note: 可选）",
    "the digits of the code in quotes, e.g. \"230781\"": "加引号的代码数字，如 \"230781\"",
    "national/, or a jurisdiction directory with a jurisdiction.yaml (name, name_en, code)":
        "national/，或带 jurisdiction.yaml（name、name_en、code）的行政区目录",
    "{path} if '{name}' is a jurisdiction (then its files are its own)":
        "若“{name}”是行政区，应有 {path}（其文件归它所有）",
    "lower-case letters, digits and _, starting with a letter (the file and directory names "
    "make the parameter's name)": "小写字母、数字和 _，以字母开头（参数名由文件和目录名组成）",
    "a name to be one parameter (a .yaml file) or a directory of parameters, not both":
        "一个名称要么是一个参数（.yaml 文件），要么是参数目录，不能兼有",
    "unit: one of {units}": "unit: 以下之一：{units}",
}

# Words of the language that stand inside messages (kinds of value, tokens).
TERMS: dict[str, str] = {
    "an amount of money": "金额", "a whole number": "整数", "a number": "数值",
    "an amount per month": "月金额（每月）", "an amount per year": "年金额（每年）",
    "a one-off amount": "一次性金额",
    "a text": "文本", "a list of texts": "文本列表", "a rounding rule": "舍入规则",
    "an aid type": "救助类别", "a name": "名称", "a quoted text": "带引号的文本",
    "a comparison": "比较运算符", "the end of the expression": "表达式结尾",
    "a rule": "规则", "a rule file": "规则文件", "a derived fact": "派生事实",
    "a condition": "条件", "an aid type ": "救助类别", "book.yaml": "book.yaml",
    "a list of members": "成员列表", "a number or an amount": "数值或金额",
}


def language(flag: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language asked for: ``flag`` if given, else zh when LC_ALL, LC_MESSAGES or
    LANG (the first one set) starts with zh, else en."""
    if flag:
        return flag
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if environ.get(name):
            return "zh" if environ[name].lower().startswith("zh") else "en"
    return "en"


def render(problem: Problem | FieldProblem | str, lang: str = "en") -> str:
    """``problem`` as a line in ``lang`` (English where no Chinese text exists yet)."""
    if lang != "zh":
        return str(problem)
    if isinstance(problem, str):
        return _translate(problem, ZH) or problem
    if isinstance(problem, FieldProblem):
        return f"{problem.path}: {_field_message(problem.message)}"
    message = _translate(problem.message, ZH)
    if message is None:
        return str(problem)
    text = f"{problem.file}:{problem.line}:{problem.col}: {message}"
    if problem.expected:
        text += "；应为" + (_expected(problem.expected) or problem.expected)
    if problem.suggestion:
        text += f"；是否应为“{problem.suggestion}”？"
    return text


def _field_message(message: str) -> str:
    """A field's message in Chinese, its did-you-mean (written into the text) kept."""
    found = _HINT.search(message)
    head = message[: found.start()] if found else message
    text = _translate(head, ZH) or head
    return text + (f"；是否应为“{found[1]}”？" if found else "")


_HINT = re.compile(r"; did you mean '(.*)'\?$")


def translated(message: str) -> bool:
    """Whether ``message`` (a Problem's message) has a Chinese text."""
    return _translate(message, ZH) is not None


def _translate(message: str, table: Mapping[str, str]) -> str | None:
    for pattern, chinese in _compiled(tuple(table.items())):
        found = pattern.fullmatch(message)
        if found:
            return _fill(chinese, {k: _value(v) for k, v in found.groupdict().items()})
    return None


def _fill(template: str, values: Mapping[str, str]) -> str:
    """``template`` with its ``{placeholders}`` filled; other braces left as written."""
    return _PLACEHOLDER.sub(lambda m: values.get(m[1], m[0]), template)


def _value(text: str) -> str:
    """A placeholder's text, itself translated when it is a message or a term."""
    if text in TERMS:
        return TERMS[text]
    inner = _translate(text, _INNER) if text else None
    return inner if inner is not None else text


def _expected(text: str) -> str | None:
    whole = _translate(text, ZH_EXPECTED)
    if whole is not None:
        return whole
    parts = text.split(" or ")
    if len(parts) > 1 and all(p in TERMS or _is_token(p) for p in parts):
        return " 或 ".join(TERMS.get(p, p) for p in parts)
    return TERMS.get(text)


def _is_token(text: str) -> bool:
    return len(text) >= 3 and text[0] == text[-1] == "'"


@cache
def _compiled(items: tuple[tuple[str, str], ...]) -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((_pattern(english), chinese) for english, chinese in items)


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _pattern(template: str) -> re.Pattern:
    parts = _PLACEHOLDER.split(template)
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.*?)"
                    for i, p in enumerate(parts))
    return re.compile(regex, re.S)


# Messages that stand inside another message's placeholder ("cannot read the expression: …").
_INNER = {k: v for k, v in ZH.items() if not k.startswith("cannot read the expression")}
