"""Chinese speakers and frames, one mechanism at a time, on sentences written for these tests.

Fast: jieba only (the preprocessing analyzer), no entity model; speakers link to the entities the
test passes in.
"""

from __future__ import annotations

import pytest

from newsnlp.model import Entity, Mention
from newsnlp.quotes.chinese import ChineseQuotes
from newsnlp.quotes.chinese_speakers import Salience, subject_span
from newsnlp.quotes.speakers import SpeakerLinker


def words_of(text: str) -> list[tuple[int, int]]:
    import jieba

    out, i = [], 0
    for word in jieba.lcut(text):
        out.append((i, i + len(word)))
        i += len(word)
    return out


def speaker_of(phrase: str) -> str | None:
    span = subject_span(phrase, words_of(phrase), 0, len(phrase))
    return phrase[span[0]:span[1]] if span else None


@pytest.mark.parametrize("phrase, expected", [
    ("但该负责人", "该负责人"),           # a conjunction before the mention
    ("高昌健很自豪地", "高昌健"),          # adverb and manner phrase after it
    ("李桂兰随后", "李桂兰"),
    ("接着", None),                       # no mention at all: an adverb is never a speaker
    ("反而", None),
    ("他明确地", "他"),
    ("赛后王海涛", "王海涛"),              # a time word before it
    ("该负责人", "该负责人"),              # a description
    ("市国土资源局有关负责人", "市国土资源局有关负责人"),  # 有关 inside the noun phrase
    ("一位不愿意透露姓名的球探", "一位不愿意透露姓名的球探"),  # a relative clause with 的
    ("上海市一些媒体", "上海市一些媒体"),
    ("向记者", None),                      # an addressee is no subject
    ("这", None),                          # nor a bare demonstrative
    ("另一封来自学生家长的感谢信", "另一封来自学生家长的感谢信"),  # 另一封 opens the noun phrase
])
def test_subject_is_a_mention(phrase: str, expected: str | None) -> None:
    assert speaker_of(phrase) == expected


def test_entity_names_stay_whole() -> None:
    text = "发言人周明远在会上"
    words = [(0, 3), (3, 5), (5, 7), (7, 8), (8, 9)]  # a segmentation that splits the name: 周明|远在
    assert subject_span(text, words, 0, len(text), names=[(3, 6)]) == (0, 6)


def test_pronoun_prefers_the_person_just_mentioned_then_the_last_speaker() -> None:
    zhang = Entity("e0", "PERSON", "张立新", (Mention(0, 3, "张立新"), Mention(40, 43, "张立新")))
    liu = Entity("e1", "PERSON", "刘海", (Mention(120, 122, "刘海"),))
    salience = Salience([zhang, liu])
    salience.spoke(zhang)
    assert salience.resolve("他", 150).name == "刘海"       # mentioned right before
    assert salience.resolve("他", 400).name == "张立新"     # long after: the speaker and subject
    fresh = Salience([zhang, liu], genders={zhang.id: "m"})
    fresh.spoke(zhang)
    assert fresh.resolve("她", 400).name == "刘海"          # 她 is never someone 他 referred to


@pytest.fixture(scope="module")
def quotes(preprocessor):
    """Quotes of a text after preprocessing only; ``names`` become PERSON entities."""

    def run(text: str, names: tuple[str, ...] = ()) -> list[tuple[str, str, str | None, str | None]]:
        work = preprocessor.preprocessor.prepare_text(text, lang="zh")
        entities = []
        for k, name in enumerate(names):
            mentions = []
            start = text.find(name)
            while start >= 0:
                mentions.append(Mention(start, start + len(name), name))
                start = text.find(name, start + 1)
            entities.append(Entity(f"e{k}", "PERSON", name, tuple(mentions)))
        work.entities.extend(entities)
        found = ChineseQuotes()(work, SpeakerLinker(entities, text=text))
        for q in found:
            assert text[q.start:q.end] == q.text
            assert q.speaker is None or text[q.speaker.start:q.speaker.end] == q.speaker.text
        return [(q.kind, q.text, q.speaker.text if q.speaker else None, q.cue.text if q.cue else None) for q in found]

    return run


def test_speaker_spans_drop_adverbs_and_conjunctions(quotes) -> None:
    found = quotes("标题\n\n会议结束后，但孙海平表示，明年的计划不会改变。高昌健很自豪地说：“我们做到了。”",
                   names=("孙海平", "高昌健"))
    assert ("indirect", "明年的计划不会改变", "孙海平", "表示") in found
    assert ("direct", "“我们做到了。”", "高昌健", "说") in found


def test_subject_of_an_earlier_clause(quotes) -> None:
    found = quotes("标题\n\n周立平放下电话，并透露，新厂将在五月投产。", names=("周立平",))
    assert ("indirect", "新厂将在五月投产", "周立平", "透露") in found


def test_answer_and_colon_frames(quotes) -> None:
    found = quotes("标题\n\n记者问他有何打算，他明确地回答：“明年还会参赛。”"
                   "林珊珊走下领奖台时的第一句话却是：“谢谢我的教练。”"
                   "正像林珊珊所说的那样：“比赛才刚刚开始。”", names=("林珊珊",))
    assert ("direct", "“明年还会参赛。”", "他", "回答") in found
    assert ("direct", "“谢谢我的教练。”", "林珊珊", "：") in found
    assert ("direct", "“比赛才刚刚开始。”", "林珊珊", "说") in found


def test_a_quotation_that_names_its_source_keeps_it(quotes) -> None:
    found = quotes("标题\n\n评论家王朗说：“这部电影节奏太慢。”“故事却很动人。”韩立东说。",
                   names=("王朗", "韩立东"))
    assert ("direct", "“这部电影节奏太慢。”", "评论家王朗", "说") in found  # title and name, as in the made-up gold
    assert ("direct", "“故事却很动人。”", "韩立东", "说") in found


def test_quotation_before_its_attribution_sentence(quotes) -> None:
    found = quotes("标题\n\n“我从小就喜欢画画。”陈晓雯告诉记者，她的第一幅作品画的是外婆家的小院。", names=("陈晓雯",))
    assert ("direct", "“我从小就喜欢画画。”", "陈晓雯", "告诉") in found
    assert ("indirect", "她的第一幅作品画的是外婆家的小院", "陈晓雯", "告诉") in found


def test_sayings_and_terms_are_not_quotations(quotes) -> None:
    found = quotes("标题\n\n学习要做到“拳不离手,曲不离口”才行。这家公司推出了所谓的“绿色通道”服务。")
    assert found == []


def test_continuation_sentences(quotes) -> None:
    found = quotes("标题\n\n市交通局局长马文表示，地铁三号线将于年底通车。"
                   "我们已经完成了全部的设备调试。"
                   "另外，公交线路也会随之调整。", names=("马文",))
    assert ("indirect", "我们已经完成了全部的设备调试", "市交通局局长马文", "表示") in found  # first person: (a)
    assert not any("公交线路" in t for _, t, _, _ in found)  # no first person, nothing after: narration


def test_enumeration_continues(quotes) -> None:
    found = quotes("标题\n\n专家分析，房价上涨首先是因为供应不足。其次，贷款利率处在低位。")
    assert ("indirect", "其次，贷款利率处在低位", "专家", "分析") in found


def test_evidentials_and_rumours_have_no_source(quotes) -> None:
    found = quotes("标题\n\n据悉，大桥将于明年通车。据介绍，新馆共有三层展厅。有传言称球队将被出售。")
    assert not any("大桥" in t for _, t, _, _ in found)  # 据悉: not an attribution
    assert ("indirect", "新馆共有三层展厅", None, "介绍") in found
    assert ("indirect", "球队将被出售", None, "称") in found


def test_negated_and_noun_phrase_cues_report_nothing(quotes) -> None:
    found = quotes("标题\n\n至今没有一家银行宣布下调利率。他表示热烈的祝贺。她否认了这一传闻。")
    assert found == []


def test_headlines(quotes) -> None:
    assert quotes("两国同意恢复贸易谈判\n\n两国官员周一在北京会面。") == []  # a plain headline
    found = quotes("马林：明年一定夺冠\n\n马林在赛后接受了采访。")
    assert ("indirect", "明年一定夺冠", "马林", "：") in found
    found = quotes("周峰批裁判判罚不公\n\n周峰在赛后很生气。")
    assert ("indirect", "裁判判罚不公", "周峰", "批") in found


def test_studies_and_data_speak_through_data_cues(quotes) -> None:
    found = quotes("标题\n\n根据海通证券的统计显示，上周共有十二只基金下跌。调查显示环保已经成为最主要的因素。"
                   "分析师的研究表明，成交量还会放大。")
    assert ("indirect", "上周共有十二只基金下跌", "海通证券的统计", "根据") in found
    assert ("indirect", "环保已经成为最主要的因素", "调查", "显示") in found
    assert ("indirect", "成交量还会放大", "分析师的研究", "表明") in found


def test_reporters_questions_have_no_source(quotes) -> None:
    found = quotes("标题\n\n孙立表示新片里有很多飞车戏，他还要拍打戏，问他是否想转型做动作明星？孙立说不会。",
                   names=("孙立",))
    assert ("indirect", "新片里有很多飞车戏，他还要拍打戏", "孙立", "表示") in found  # the question is not his
    assert ("indirect", "他是否想转型做动作明星", None, "问") in found


def test_a_sentence_in_marks_after_a_glued_heading_is_speech(quotes) -> None:
    found = quotes("标题\n\n换个活法“我也毕业两年了，现在在一家大公司做会计，待遇还不错。”对于这样的选择，侨胞许丽丽觉得很知足。",
                   names=("许丽丽",))
    assert ("direct", "“我也毕业两年了，现在在一家大公司做会计，待遇还不错。”", "许丽丽", None) in found


def test_a_quoted_section_heading_is_the_words_of_the_person_named_next(quotes) -> None:
    found = quotes("标题\n\n造型由专人设计。形象：“我自己都笑死了”许丽丽对这个造型非常喜欢。", names=("许丽丽",))
    assert ("direct", "“我自己都笑死了”", "许丽丽", None) in found  # 形象 is a label, not a source


def test_a_published_statement_reports_its_content(quotes) -> None:
    found = quotes("标题\n\n华南基金周一发布公告，旗下债券基金的募集截止日提前到3月6日。")
    assert ("indirect", "旗下债券基金的募集截止日提前到3月6日", "华南基金", "公告") in found


def test_terms_and_numbered_labels_are_not_quotes(quotes) -> None:
    found = quotes("标题\n\n看点一：重塑聊斋故事，原作不过数百字。专家王海认为，“放养”“圈养”均有一定的可取之处。"
                   "他们允许女儿说“不”。", names=("王海",))
    assert not any(q[2] == "看点" for q in found)  # 看点一： is a section label, not an interview turn
    assert ("mixed", "“放养”“圈养”均有一定的可取之处", "专家王海", "认为") in found  # terms open the content
    assert not any(q[1] == "“不”" for q in found)  # a word in marks is no quotation


def test_manner_de_and_example_markers(quotes) -> None:
    found = quotes("标题\n\n王丽感慨的说，自己也想给孩子一个美好的童年。"
                   "如一封来自名人的推荐信写道：“该生思想积极要求进步，学习刻苦努力。”", names=("王丽",))
    assert ("indirect", "自己也想给孩子一个美好的童年", "王丽", "说") in found  # 感慨的说: 的 for 地
    assert ("direct", "“该生思想积极要求进步，学习刻苦努力。”", "一封来自名人的推荐信", "写道") in found


def test_an_addressee_before_the_colon_keeps_the_frame(quotes) -> None:
    found = quotes("标题\n\n一位基金研究员告诉记者：“今年基金之间的业绩差距会很大。”")
    assert ("direct", "“今年基金之间的业绩差距会很大。”", "一位基金研究员", "告诉") in found


def test_the_name_next_to_the_cue_is_the_speaker(quotes) -> None:
    found = quotes("标题\n\n启德教育老师姜红良指出，一般申请美国的高校需要三到四封推荐信。获奖之后陈德森说：“今天能连中三元。”",
                   names=("启德", "姜红良", "陈德森"))
    assert ("indirect", "一般申请美国的高校需要三到四封推荐信", "姜红良", "指出") in found  # not the school 启德
    assert ("direct", "“今天能连中三元。”", "陈德森", "说") in found  # no subject by word class: the name


def test_a_colon_after_the_cue_gives_it_to_the_next_quotation(quotes) -> None:
    found = quotes("标题\n\n蔡先生说，他本来是个信贷员。“当初还以为美国的月亮比中国的圆呢。”"
                   "用失业金交学费的黄女士表示：“很多学员比我还惨。”", names=("蔡先生", "黄女士"))
    assert ("direct", "“当初还以为美国的月亮比中国的圆呢。”", "蔡先生", None) in found
    assert ("direct", "“很多学员比我还惨。”", "黄女士", "表示") in found


def test_a_topic_phrase_may_stand_between_a_quotation_and_its_source(quotes) -> None:
    found = quotes("标题\n\n“关注潜力高于关注学术背景。”对打算留学的考生，李楠楠说，推荐信中一定要多写细节。",
                   names=("李楠楠",))
    assert ("direct", "“关注潜力高于关注学术背景。”", "李楠楠", "说") in found
    assert ("indirect", "推荐信中一定要多写细节", "李楠楠", "说") in found


def test_a_concession_ends_the_reported_content(quotes) -> None:
    found = quotes("标题\n\n在律师的压力下，校方虽然表示会考虑全额退款，但提出了新的要求。")
    assert [q for q in found if q[3] == "表示"] == [("indirect", "会考虑全额退款", "校方", "表示")]


def test_speech_verbs_that_only_frame_a_quotation(quotes) -> None:
    # 嘀咕, 催促, 续指 are cues right before a quotation and nothing elsewhere (回忆往事, 催促他离开)
    found = quotes("标题\n\n老周不停地嘀咕：“这批货怕是赶不上了。”过了不久，经理汪海过来催促，“车间今晚必须停工检修。”"
                   "她续指，“但较难解释的是成本为何上涨。”老周回忆往事时十分感慨。汪海催促他离开车间，去医院检查身体。",
                   names=("老周", "汪海"))
    assert ("direct", "“这批货怕是赶不上了。”", "老周", "嘀咕") in found
    assert ("direct", "“车间今晚必须停工检修。”", "经理汪海", "催促") in found
    assert ("direct", "“但较难解释的是成本为何上涨。”", "她", "续指") in found
    assert not [q for q in found if q[3] in ("回忆", "催促") and q[0] != "direct"]


def test_a_cue_glued_to_its_manner_before_a_quotation(quotes) -> None:
    found = quotes("标题\n\n集会开始后，工人们振臂高呼“工厂必须补发拖欠的工资，我们要讨个说法！”")
    assert [(q[0], q[2], q[3]) for q in found] == [("direct", "工人", "振臂高呼")]


def test_a_hypothetical_shout_or_a_word_in_marks_is_no_frame(quotes) -> None:
    found = quotes("标题\n\n倘若考试有灵，一定会大声喊“我比窦娥还冤哪！”现场太吵，连导演喊“开机”都没人听到。")
    assert found == []


def test_questions_answered_next_are_the_askers(quotes) -> None:
    found = quotes("标题\n\n发布会一结束，该公司董事长就被围住了。“请问新工厂什么时候投产？”“投资规模有多大？”"
                   "面对记者的提问，这位董事长只表示工厂会按计划建设。")
    assert [q[2] for q in found if q[0] == "direct"] == ["记者", "记者"]


def test_the_next_sentence_attributes_a_quotation_through_its_cue_clause(quotes) -> None:
    found = quotes("标题\n\n雨越下越大。“不好意思，这里不能停车。”过了一会儿，保安孙启明过来解释，这条路晚上要封闭施工。",
                   names=("孙启明",))
    assert ("direct", "“不好意思，这里不能停车。”", "保安孙启明", "解释") in found


def test_a_glued_heading_before_a_person_noun_and_its_cue(quotes) -> None:
    # the page lost the line break after a section heading: the person noun next to the cue speaks
    found = quotes("标题\n\n旧房翻新费用不高更要请教专业人士提醒，装修前一定要先检查水电线路。"
                   "会后他向分析师表示，公司的利润今年将增长一成。")
    assert ("indirect", "装修前一定要先检查水电线路", "专业人士", "提醒") in found
    assert ("indirect", "公司的利润今年将增长一成", "他", "表示") in found  # 分析师 is the addressee


def test_a_web_link_mark_after_a_name_is_no_part_of_the_subject(quotes) -> None:
    found = quotes("标题\n\n鼓手阿杰(微博)也透露，“我们明年还要去更多的城市开演唱会。”", names=("阿杰",))
    assert ("direct", "“我们明年还要去更多的城市开演唱会。”", "鼓手阿杰", "透露") in found


def test_a_colon_after_a_description_of_the_speaker(quotes) -> None:
    # the clause before the colon describes the speaker (声音洪亮, 将……送给) or is no source at all
    found = quotes("标题\n\n他站在礼堂的讲台上，面对数百名新生，声音洪亮：“欢迎大家来到这所学校。”"
                   "校友赵一鸣十分激动，他快步上台，将一束鲜花送给校长：“我代表全体校友祝学校越办越好。”",
                   names=("赵一鸣",))
    assert [q[2] for q in found] == ["他", "他"]


def test_a_first_person_quotation_after_a_colon_with_no_source_is_the_context_speaker(quotes) -> None:
    found = quotes("标题\n\n造型师林慧说，她参考了很多古代壁画。“我们做了三个月的功课。”"
                   "女主角的造型也与壁画有着紧密联系：“她的发型都是我按照壁画设计的。”", names=("林慧",))
    assert [q[2] for q in found if q[0] == "direct"][-1] != "女主角的造型"


def test_a_name_that_ends_the_clause_before_a_quotation_is_its_object(quotes) -> None:
    found = quotes("标题\n\n会上，宋凯特别感谢了制片人方正，“我们合作得非常愉快，拍摄的过程完全是一种享受。”",
                   names=("宋凯", "方正"))
    assert [q[2] for q in found if q[0] == "direct"] == ["宋凯"]


def test_a_titled_subject_before_a_quotation_with_no_cue(quotes) -> None:
    found = quotes("标题\n\n接着，校长讲起了鲁迅弃医从文的故事。“他告诉我们，一个人的选择可以改变很多人。同学们要记住这一点。”",
                   names=("鲁迅",))
    assert [q[2] for q in found] == ["校长"]  # the subject, not the person the story is about


def test_a_quotation_that_ends_reported_content_is_not_attributed_forward(quotes) -> None:
    found = quotes("标题\n\n该党主席却表示，他们对市长一年来工作的评价是“不满意！”多家媒体指出，游行的人数超过了十万。")
    assert [q for q in found if q[0] == "direct"] == []
    assert [(q[0], q[1][:6], q[2]) for q in found if q[3] == "表示"] == [("mixed", "他们对市长一", "该党主席")]


def test_a_nickname_in_marks_as_subject(quotes) -> None:
    found = quotes("标题\n\n发布会上，新片的男主角被剧组称为好搭档。而“周姐”更是在现场感叹“这次自己再厉害也演不过他了”。")
    assert ("direct", "“这次自己再厉害也演不过他了”", "周姐", "感叹") in found


def test_dialogue_with_the_reporter(quotes) -> None:
    # 对记者说 is a cue (or 或者说 is not); an answer before 面对X的追问，Y is Y's; after the reporter
    # spoke, a quotation that asks nothing is the reply of the person the reporter turned to
    found = quotes("标题\n\n“我们会赢的。”他笑着对记者说。“这个问题我不想回答。”面对记者的追问，刘翔摇摇头。"
                   "或者说，这是一个新的开始。记者解释说，我只是随便看看，还给她看了记者证。“哦。这里不能拍照。”",
                   names=("刘翔",))
    assert ("direct", "“我们会赢的。”", "他", "说") in found
    assert ("direct", "“这个问题我不想回答。”", "刘翔", None) in found
    assert ("direct", "“哦。这里不能拍照。”", "她", None) in found
    assert not [q for q in found if q[1].startswith("这是一个新的开始")]


def test_a_biography_label_and_a_notice_are_the_papers_voice(quotes) -> None:
    found = quotes("标题\n\n导演林川昨日病逝。林川生平简史：1936年林川出生于上海，1958年考入电影学院。"
                   "他一生拍摄了三十多部电影。声明：本网独家稿件，转载请注明出处。", names=("林川",))
    assert found == []


def test_said_this_after_a_quotation(quotes) -> None:
    found = quotes("标题\n\n“那时候我们什么都没有，只能靠自己。”说这话时，王刚的眼圈红了。“我一定会回来。”说着，李娜挥了挥手。",
                   names=("王刚", "李娜"))
    assert [q[2] for q in found] == ["王刚", "李娜"]


def test_a_name_in_parentheses_before_the_cue_is_a_note(quotes) -> None:
    # even when the entity stage takes the link mark for a name
    found = quotes("标题\n\n周海（微博）表示：“我会继续做慈善。”", names=("周海", "微博"))
    assert found == [("direct", "“我会继续做慈善。”", "周海", "表示")]


def test_a_cue_word_inside_a_zai_zhong_frame_is_a_noun(quotes) -> None:
    found = quotes("标题\n\n该公司在声明中称：“我们将全力配合调查。”他在回答中说，市场还会继续调整。")
    assert [(q[0], q[2], q[3]) for q in found] == [("direct", "该公司", "称"), ("indirect", "他", "说")]


def test_a_possessor_before_a_speech_noun_and_the_attribution_phrase_ru_shi_shuo(quotes) -> None:
    found = quotes("标题\n\n记者问起退役的事。林琳的回答很干脆：“我不会退役。”“这是我演过最难的角色。”张伟在接受采访时如是说。",
                   names=("林琳", "张伟"))
    assert ("direct", "“我不会退役。”", "林琳", "：") in found
    assert ("direct", "“这是我演过最难的角色。”", "张伟", "如是说") in found


def test_a_time_clause_after_a_quotation_names_no_speaker(quotes) -> None:
    found = quotes("标题\n\n对于未来，林琳并不担心。“我还年轻，还有很多机会。”记者见到张伟时，他正在训练。",
                   names=("林琳", "张伟"))
    assert [q[2] for q in found] == ["林琳"]


def test_a_predicate_with_no_subject_after_a_quotation_shares_its_speaker(quotes) -> None:
    found = quotes("标题\n\n宋凯称，“这是一个误会”，并表示“我们会尽快澄清”。", names=("宋凯",))
    assert [q[2] for q in found] == ["宋凯", "宋凯"]


def test_consecutive_quotations_and_a_split_frame_after_a_pause(quotes) -> None:
    found = quotes("标题\n\n“我们还会再来的。”宋凯顿了顿，又说，“下次带家人一起来。”“你好！”她热情地跟记者打招呼。",
                   names=("宋凯",))
    assert [(q[2], q[3]) for q in found] == [("宋凯", "说"), ("宋凯", "说"), ("她", None)]


def test_the_clause_after_a_quotation_that_frames_the_next_one_is_not_its_speaker(quotes) -> None:
    found = quotes("标题\n\n宋凯还说，球队需要时间来调整。“我相信我们能做到。”对手主帅林川也对他们的表现印象深刻：“他们打得很顽强。”",
                   names=("宋凯", "林川"))
    assert [q[2] for q in found if q[0] == "direct"] == ["宋凯", "对手主帅林川"]


def test_a_relative_clause_opens_a_speaker_and_a_split_quotation_keeps_it(quotes) -> None:
    found = quotes("标题\n\n一位消防员说：“火势很猛。”“太可怕了，”住在对面的王女士心有余悸地说，“我到现在还睡不着。”")
    assert [q[2] for q in found] == ["一位消防员", "住在对面的王女士", "住在对面的王女士"]


def test_a_quotation_after_the_according_frame(quotes) -> None:
    found = quotes("标题\n\n华仔表示：“一切随缘。”据知情人士透露，“影片投资已经超过两亿元。”"
                   "据透露，“两人私下关系很好。”据英国《泰晤士报》6月7日报道，“首相将在下周访华。”")
    assert [q[2] for q in found] == ["华仔", "知情人士", None, "泰晤士报"]


def test_joined_cues_a_separate_dao_and_an_addressee_jieba_tags_as_a_verb(quotes) -> None:
    found = quotes("标题\n\n业内人士分析认为：“今年的录取分数线会有所提高。”“我们每年都会调整计划，”刘红解释道，“今年会增加名额。”"
                   "招生办主任刘红提醒考生：“一定要看清专业要求。”", names=("刘红",))
    assert [(q[0], q[3]) for q in found] == [("direct", "分析认为"), ("direct", "解释道"), ("direct", "解释道"),
                                             ("direct", "提醒")]
