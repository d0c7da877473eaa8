"""Publication dates on the shapes of real news pages (issue 20 item 2): the text's own date
first — a header line however long when its date is a time stamp, an English dispatch's
opening, a photo caption's date, a notice's signature in Chinese numerals or a Republic-era
year — and the page address's date (/2023/0512/, t20230512_, /2023-05/12/) only when the text
has none. A scraper's date never beats a dispatch written days before it."""

import datetime as dt

import pytest

from reformtrack.documents.pipeline import process
from reformtrack.documents.text.dates import find_dates
from reformtrack.documents.text.metadata import address_date, extract_metadata

D = dt.date


@pytest.mark.parametrize(
    ("address", "day"),
    [
        ("http://wzatv.cc/atv/a/minshengjingji/2016/0720/108556.html", D(2016, 7, 20)),
        ("http://103.249.53.35/jm/hgjj/201008/t20100819_1497051.htm", D(2010, 8, 19)),
        ("http://www.chinadaily.com.cn/business/2017-07/25/content_30234625.htm", D(2017, 7, 25)),
        (
            "https://www.tellerreport.com/business/2020-10-12-state-owned-reform.html",
            D(2020, 10, 12),
        ),
        ("https://english.www.gov.cn/ministries/202201/18/content_WS61e62ef1.html", D(2022, 1, 18)),
        ("http://www.acisga.com/sccom/MediaFocus/2020/1/3/6be7450834a8.shtml", D(2020, 1, 3)),
        ("http://ecns.cn/business/2018/01-15/288440.shtml", D(2018, 1, 15)),
        ("https://www.btimesonline.com/articles/121887/20191115/china-plan.htm", D(2019, 11, 15)),
        (
            "https://life.mingpao.com/general/article?issue=20190920&nodeid=1568916894805",
            D(2019, 9, 20),
        ),
    ],
)
def test_a_page_address_carries_its_date(address, day):
    assert address_date(address) == day


@pytest.mark.parametrize(
    "address",
    [
        "http://20230512.example.com/news/1.html",  # the host is no date
        "http://www.globaltimes.cn/content/1137037.shtml",  # an id
        "https://reportify.ai/news/1206769310782066688",
        "http://www.example.com/a/202209/csdsvfb1mcxe.shtml",  # a month is no day
        "http://www.example.com/2023/0230/1.html",  # no 30 February
        "",
    ],
)
def test_an_address_without_a_day_gives_no_date(address):
    assert address_date(address) is None


def test_the_texts_own_date_wins_over_the_address():
    text = "国资委召开会议\n发布时间：2023-02-03 07:44\n会议强调，要深化改革。"
    assert extract_metadata(text, "http://x.cn/2014-10/13/content_1.htm").published_on == D(
        2023, 2, 3
    )
    assert extract_metadata(
        "会议强调，要深化改革。", "http://x.cn/2014-10/13/c_1.htm"
    ).published_on == D(2014, 10, 13)


def test_the_address_gives_the_year_of_an_agency_dateline():
    text = "据新华社北京7月18日电\n国资委18日公布，上半年央企营业收入增长。"
    assert extract_metadata(text, "http://x.cn/gnyw/2008-07/23/content_1.htm").published_on == D(
        2008, 7, 18
    )
    english = "BEIJING, Dec. 11 (Xinhua) -- Central SOEs reported profits, the regulator said."
    assert extract_metadata(english, "http://x.cn/2017/12/15/c_1.htm").published_on == D(
        2017, 12, 11
    )


def test_a_long_header_line_keeps_a_time_stamp_or_a_dateline_but_not_an_event():
    source = "Source: Science and Technology Daily | 2024-04-08 16:36:26 | Author: CHEN Chunyou"
    spam = "\n\nposition: EnglishChannel > Policy > Article\n\nFirst Enterprises Chosen\n\n"
    assert extract_metadata("Casino App\n" + spam + source + "\n\nBody.").published_on == D(
        2024, 4, 8
    )
    dateline = (
        "BEIJING, May 12, 2023 (Xinhua) -- China's centrally administered state-owned "
        "enterprises reported steady growth in the first four months, the regulator said."
    )
    assert extract_metadata(dateline).published_on == D(2023, 5, 12)
    event = (
        "China's central SOEs had made progress since the plan adopted on May 12, 2021, the "
        "state assets regulator said in a long sentence of the body without its own date."
    )
    assert extract_metadata(event).published_on is None


def test_a_photo_captions_date_dates_the_story_unless_it_is_a_file_photo():
    caption = (
        "Xiao Yaqing, head of SASAC, answers questions at a press conference in Beijing, "
        "capital of China, March 9, 2017. (Xinhua/Chen Yehua)\nCentral SOEs performed well."
    )
    assert extract_metadata(caption).published_on == D(2017, 3, 9)
    chinese = (
        "国资委召开会议。\n图为会议现场，2023年5月12日摄。（新华社记者 李鑫 摄）\n会议强调改革。"
    )
    assert extract_metadata(chinese).published_on == D(2023, 5, 12)
    old = "A file photo of the SASAC building taken on June 1, 2015. (Xinhua/Li Xin)\nBody text."
    assert extract_metadata(old).published_on is None


def test_written_dates_in_other_forms():
    assert find_dates("二〇二三年五月十二日") == [(0, D(2023, 5, 12))]
    assert find_dates("中華民國112年5月12日公布") == [(0, D(2023, 5, 12))]
    assert find_dates("on 12th May 2023 and 3 of June, 2023")[0][1] == D(2023, 5, 12)
    signed = "关于深化改革的通知\n各企业：\n请认真贯彻落实。\n国务院国资委\n二〇二三年五月十二日"
    assert extract_metadata(signed).published_on == D(2023, 5, 12)


def test_the_pipeline_takes_the_page_address():
    done = process(
        "国资委召开会议，部署改革。".encode(), "t.txt", address="http://x.cn/2016/0720/1.html"
    )
    assert done.meta["published_on"] == D(2016, 7, 20)
    assert process("国资委召开会议，部署改革。".encode(), "t.txt").meta["published_on"] is None


def test_an_address_line_in_the_text_and_a_dateline_with_its_year():
    linked = "国资委召开会议\n会议强调，要深化改革。\n原文链接：http://www.x.gov.cn/n1/2023/0512/c2756.html"
    assert extract_metadata(linked).published_on == D(2023, 5, 12)
    cited = "会议强调，要深化改革，详见 http://www.x.cn/2023/0512/c.html 的通知。"
    assert extract_metadata(cited).published_on is None  # a link inside a sentence: another page
    dispatch = (
        "国资委召开会议\n新华社北京2023年5月12日电 国务院国资委12日召开会议，部署深化国有企业"
        "改革工作，会议强调要坚持问题导向，推动改革走深走实，取得更大成效。"
    )
    assert extract_metadata(dispatch).published_on == D(2023, 5, 12)
    bracketed = "Workers at the plant on May 3, 2023. [Photo/China Daily]\nThe plan was adopted."
    assert extract_metadata(bracketed).published_on == D(2023, 5, 3)


def test_a_long_line_of_page_furniture_dates_the_page():
    text = (
        "国资委召开深化改革会议\n来源：国务院国资委网站 时间：2023-05-12 作者：综合局 "
        "浏览次数：1234 字号：【大 中 小】 打印本页 关闭窗口 分享到微信 分享到微博\n"
        "会议强调，要深化改革。"
    )
    assert extract_metadata(text).published_on == D(2023, 5, 12)
    english = (
        "Title here\nCHINA DAILY | Updated: 2023-05-12 | Source: Xinhua | Editor: Li Lei | By "
        "Wang Fang and Zhang Lei in Beijing\nBody."
    )
    assert extract_metadata(english).published_on == D(2023, 5, 12)
