"""The pure parts of understanding a question: content words and coverage, the colloquial-word map, the kinds of
question never answered, the answer model's combination and refusal, and fitting it."""

import math
import shutil
from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from index import fitting
from index.coverage import COMMON_MIN, EXPANSION_WEIGHT, content_words, coverage, is_common, phrase_share, phrases
from index.evaluation import Case
from index.expansion import ColloquialMap, expansion_map, expansions_in, with_words
from index.offtopic import HEADER, QuestionKinds, add_words, with_kind_words
from index.query import QueryAnalyzer
from index.ranking import FEATURES, SIGNALS, AnswerModel, Signals
from index.search import Candidate, _deciding_terms, _shared_ranks
from index.synonyms import append_group
from tests.helpers import MODEL, QUESTIONS, WORDS, analyze


def sub_words(word):
    return [token.text for token in QUESTIONS.terms_analyzer(word)]


FREQUENCIES = {"望湖": 1, "义诊": 4, "社区": 60, "停水": 3, "高新区": 90}


def frequency(word):
    return FREQUENCIES.get(word, 0)


# -- content words and coverage ----------------------------------------------------------------------------------


def test_single_characters_and_very_common_words_are_no_content_words():
    words = content_words(["望湖", "社区", "的", "新", "义诊", "高新区"], sub_words, frequency, 100)
    assert [w.word for w in words] == ["望湖", "义诊"]
    assert words[0].weight > words[1].weight  # the rarer word weighs more
    assert is_common(60, 100) and not is_common(60, 1000) and not is_common(COMMON_MIN, 20)  # no common word in a
    # small index


def test_a_question_of_single_characters_only_is_read_for_them():
    assert [w.word for w in content_words(["拳"], sub_words, frequency, 100)] == ["拳"]


def test_coverage_weighs_words_by_rarity_reads_characters_not_terms_and_counts_colloquial_words_less():
    words = content_words(["望湖", "义诊"], sub_words, frequency, 100)
    assert coverage(words, "专家在望湖社区党群服务中心开展义诊") == 1.0  # 望湖 indexed as 望 + 湖 there
    rare_only, common_only = coverage(words, "望湖"), coverage(words, "义诊")
    assert rare_only > 0.5 > common_only > 0 and math.isclose(rare_only + common_only, 1.0)
    assert coverage(words, "") == 0.0 and coverage((), "anything") == 0.0
    water = content_words(["没水"], sub_words, frequency, 100, {"没水": ("停水",)})
    assert coverage(water, "科学城片区停水14小时") == EXPANSION_WEIGHT
    assert coverage(water, "科学城片区停水14小时", expanded=False) == 0.0  # "nothing" reads the question as written


def test_a_word_half_there_counts_for_its_share():
    words = content_words(["一顿饭"], sub_words, frequency, 100)
    assert 0 < coverage(words, "每人一顿只要10元") < 1


def test_phrases_are_neighbouring_words_of_three_characters_or_more():
    assert phrases(["十一", "中", "新", "校区"]) == ("十一中", "新校区")
    assert phrase_share(("十一中", "新校区"), "十一中新校区开工") == 1.0
    assert phrase_share(("十一中", "新校区"), "实验二小新校区") == 0.5 and phrase_share((), "x") == 0.0


# -- the colloquial-word map ---------------------------------------------------------------------------------------


def test_residents_words_map_to_the_papers_and_single_characters_never_expand():
    mapping = expansion_map([("停水", "没水", "断水", "水"), ("水", "自来水"), ("食堂", "饭堂")])
    assert mapping == {"没水": ("停水",), "断水": ("停水",), "饭堂": ("食堂",)}
    assert expansions_in("楼上没水怎么办", mapping) == (("没水", ("停水",)),)
    assert expansions_in("停水了", mapping) == ()
    longer = {"没水": ("停水",), "楼上没水": ("二次供水",)}
    assert expansions_in("楼上没水", longer) == (("楼上没水", ("二次供水",)),)
    assert with_words(["找", "活干", "招聘会"], ["找活干"]) == ("招聘会", "找活干")


def test_a_word_added_from_the_desk_is_used_by_the_next_question(tmp_path):
    path = tmp_path / "synonyms.txt"
    colloquial = ColloquialMap(path)
    assert colloquial.expansions("小飞机送快递") == ()
    append_group(path, ["无人机", "小飞机"], lock_timeout=1)
    assert colloquial.refresh() and colloquial.expansions("小飞机送快递") == (("小飞机", ("无人机",)),)
    assert not colloquial.refresh()


def test_the_analysis_carries_expansions_and_the_kind_and_marks_the_papers_words():
    parsed = analyze("11月19号晚上没水吗。", date(2026, 11, 28))
    assert ("没水", ("停水",)) in parsed.expansions and "停水" in parsed.marked and parsed.kind is None
    assert analyze("明天天气怎么样", date(2026, 11, 28)).kind == "天气"


# -- kinds of question never answered -------------------------------------------------------------------------------


def test_kinds_are_sections_of_words_matched_anywhere(tmp_path):
    path = tmp_path / "kinds.txt"
    path.write_text("# c\n[天气]\n天气预报\n台风 # a comment\n[体育比赛]\nNBA\n", encoding="utf-8")
    kinds = QuestionKinds.load(path)
    assert kinds.kind_of("明天的天气预报") == "天气" and kinds.kind_of("nba总决赛") == "体育比赛"
    assert kinds.kind_of("太极拳比赛") is None
    path.write_text("台风\n", encoding="utf-8")
    with pytest.raises(ValueError, match="outside any"):
        QuestionKinds.load(path)
    assert QuestionKinds.load(WORDS.off_topic).kind_of("双色球开奖") is not None


def test_words_go_at_the_end_of_their_kinds_section_before_its_blank_lines_and_a_new_kind_at_the_end():
    text = "# head\n[天气]\n天气预报\n\n# trains\n[车次]\n高铁 # comment\n\n"
    assert with_kind_words(text, "天气", ["气温", "下雪"]) == (
        "# head\n[天气]\n天气预报\n气温\n下雪\n\n# trains\n[车次]\n高铁 # comment\n\n"
    )
    with_flights = "# head\n[天气]\n天气预报\n\n# trains\n[车次]\n高铁 # comment\n航班\n\n"
    assert with_kind_words(text, "车次", ["航班"]) == with_flights
    assert with_kind_words("[天气]\n天气预报", "菜谱", ["红烧肉"]) == "[天气]\n天气预报\n\n[菜谱]\n红烧肉\n"
    assert with_kind_words("[ 天气 ] # by hand\n天气预报\n", "天气", ["气温"]) == "[ 天气 ] # by hand\n天气预报\n气温\n"
    assert QuestionKinds.parse(with_kind_words(text, "菜谱", ["红烧肉"])).kinds[-1] == ("菜谱", ("红烧肉",))


def test_words_added_reach_the_questions_without_a_restart(tmp_path):
    path = tmp_path / "off_topic.txt"
    shutil.copy(WORDS.off_topic, path)
    analyzer = QueryAnalyzer(replace(WORDS, off_topic=path))
    today = date(2026, 5, 1)
    assert analyzer.analyze("红烧肉怎么做", today).kind is None
    assert add_words(path, "菜谱", ["红烧肉"], lock_timeout=1) == ("菜谱", ("红烧肉",))
    assert analyzer.analyze("红烧肉怎么做", today).kind == "菜谱"
    assert add_words(tmp_path / "new" / "kinds.txt", "菜谱", ["红烧肉"], lock_timeout=1) == ("菜谱", ("红烧肉",))
    assert (tmp_path / "new" / "kinds.txt").read_text(encoding="utf-8") == HEADER + "\n[菜谱]\n红烧肉\n"
    assert QuestionKinds.load(tmp_path / "missing.txt").kinds == ()


# -- the model ------------------------------------------------------------------------------------------------------


def test_single_characters_never_search_beside_longer_words():
    assert _deciding_terms(["养老", "服务", "新", "政策"]) == ["养老", "服务", "政策"]
    assert _deciding_terms(["拳"]) == ["拳"]
    assert _deciding_terms(["高新", "3", "路"]) == ["高新", "3"]


def test_equal_scores_share_the_better_rank():
    assert _shared_ranks([3.0, 3.0, 2.0, 1.0, 1.0]) == (0, 0, 2, 3, 3)


def test_the_rank_is_the_weighted_sum_and_nothing_is_said_below_the_threshold():
    model = AnswerModel(
        weights={name: float(n) for n, name in enumerate(FEATURES)},
        refusal_weights={"similarity": 4.0, "coverage": 4.0, "kind": -6.0},
        refusal_bias=-3.0,
        threshold=0.5,
    )
    assert model.score([1.0] * len(FEATURES)) == sum(range(len(FEATURES)))
    assert not model.refuses(Signals(similarity=0.6, coverage=0.8, kind=False))
    assert model.refuses(Signals(similarity=0.1, coverage=0.0, kind=False))
    assert model.refuses(Signals(similarity=0.6, coverage=0.8, kind=True))
    assert AnswerModel.from_json(model.to_json()) == model
    with pytest.raises(ValueError, match="needs weights"):
        AnswerModel({"bm25": 1.0}, model.refusal_weights, 0.0, 0.5)


def test_the_shipped_model_is_fitted_and_names_how():
    assert set(MODEL.weights) == set(FEATURES) and set(MODEL.refusal_weights) == set(SIGNALS)
    assert MODEL.fitted["split"] == "tune" and 0 < MODEL.threshold < 1
    assert MODEL.refusal_weights["kind"] < 0 < MODEL.refusal_weights["coverage"]


# -- fitting --------------------------------------------------------------------------------------------------------


def candidate(name, bm25, similarity, coverage_=0.0):
    features = [0.0] * len(FEATURES)
    features[FEATURES.index("bm25")] = bm25
    features[FEATURES.index("similarity")] = similarity
    features[FEATURES.index("coverage")] = coverage_
    return Candidate(name, tuple(features), coverage_)


def test_the_fit_learns_which_feature_finds_the_answer_and_where_to_refuse():
    rng = np.random.default_rng(1)
    examples = []
    for n in range(60):  # the right story has the higher cosine, BM25F is noise
        right = candidate("right", rng.random(), 0.5 + 0.4 * rng.random(), 0.5 + 0.5 * rng.random())
        wrong = candidate("wrong", rng.random(), 0.4 * rng.random(), 0.5 * rng.random())
        examples.append(fitting.Example(Case(f"q{n}", "right"), (wrong, right), (False, True), kind=False))
    for n in range(20):  # unanswerable: nothing near
        noise = candidate("noise", rng.random(), 0.2 * rng.random(), 0.2 * rng.random())
        examples.append(fitting.Example(Case(f"x{n}", None), (noise,), (False,), kind=n % 2 == 0))
    model = fitting.fit(examples, {"split": "tune"})
    assert model.weights["similarity"] > abs(model.weights["bm25"])
    right_first = sum(
        model.score(e.candidates[1].features) > model.score(e.candidates[0].features) for e in examples[:60]
    )
    assert right_first == 60
    weights = np.array([model.weights[f] for f in FEATURES])
    refused = [model.refuses(fitting.first_signals(e, weights)) for e in examples]
    assert sum(refused[:60]) <= 60 * fitting.MAX_WRONGLY_REFUSED and sum(refused[60:]) >= 18
    assert fitting.fit(examples, {"split": "tune"}) == model  # the same every run


def test_the_threshold_refuses_at_most_the_share_allowed():
    confidences = [0.1, 0.2, 0.3, 0.9] + [0.95] * 96
    assert fitting.threshold(confidences, 0.02) == pytest.approx(0.25)
    assert fitting.threshold([0.5, 0.6], 0.0) == 0.25


def test_the_doubtful_cut_is_the_lowest_hundredth_under_which_the_share_of_wrong_answers_falls():
    answers = [(0.81, False), (0.876, False), (0.95, False), (0.99, False), (0.80, True), (0.97, True)]
    assert fitting.doubtful_below(answers, 0.5) == 0.88  # 2 of the 4 wrong ones under it
    assert fitting.doubtful_below(answers, 0.7) == 0.96
    assert fitting.doubtful_below(answers, 1.0) == 1.0
    assert fitting.doubtful_below([(0.8, True)]) == 0.0  # nothing wrong: nothing to list
    with pytest.raises(ValueError):
        fitting.fit_refusal([(Signals(0.5, 0.5, False), True)])
