"""Ad/spam classifier (pure): weighted signals → score in [0, 1] → verdict with reasons.

Every signal that fires adds its points (out of 100) and its reason code (:data:`REASONS`):

================  ======  ==================================================================
reason            points  fires when
================  ======  ==================================================================
promo_phrase      30–100  promotional language, EN + ZH, in four families (below)
contact           30      a contact handle to take the deal off-platform: "加微信 abc123",
                          "VX：id", "WhatsApp +1 415…", "t.me/group", a phone number
cashtag_stuffing  30      ≥ 3 distinct cashtags
hashtag_stuffing  25      ≥ 5 distinct hashtags
mention_stuffing  25      ≥ 5 distinct mentions (a retweet's "RT @user" does not count)
url_density       20      ≥ 2 URLs, or a link shortener (bit.ly, tinyurl ...) with promo language
auto_client       15      posted by an auto-poster (IFTTT, Buffer, dlvr.it, 皮皮时光机 ...), only
                          next to another signal (real organizations schedule posts too)
ad_client         60      posted with an advertising tool ("Twitter for Advertisers")
account_signals   30      followers < 50 and following > 20 × followers, or > 200 tweets/day
campaign          25      a near-duplicate campaign hit (:mod:`streams.campaigns`): passed in,
                          or from the classifier's own detector
================  ======  ==================================================================

Promotional language is matched by family — what is offered (``offer``: giveaway, airdrop,
discount, a price, 优惠, 包邮 ...), the call to action (``cta``: link in bio, use code, DM me,
"comment 'X'", 私信, 扫码 ...), money promises (``money``: passive income, "earn $300 a week",
日赚, 副业 ...) and urgency (``urgency``: limited time, "only 20 left", 限时, 名额有限 ...). A
*strong* phrase, one that is promotional wherever it appears ("link in bio", "promo code
SAVE20", "加微信", "日赚"), counts 60; a *weak* one, which organic tweets also use ("airdrop",
"discount", "私信"), 30; a pointing emoji (👉 👇 🎁 💰) 15. The best family counts in full, every
further family adds up to 30, and every further phrase of a family 10 (at most 30 in all): an
ad is an offer *with* a call to action, a promise or a deadline, while a tweet that only talks
about a discount or an airdrop stays organic. A scam warning ("beware", "scam", "诈骗", "警惕")
caps promotional language at 30: warnings quote the scams they warn about; so do reported speech
and disclaimers ("got a DM:", "reminder that", "it's not us", "not sponsored", "冒充", "纯分享").
Promotional language inside a quotation ("…", “…”, 「…」 long enough to be an utterance, with
text around it) is someone else's and does not count; a one-word keyword in quotes ("comment
'GUIDE'", 评论「想要」) is a call to action and does. A first-party launch — a launch verb with a
developer marker ("Introducing", "today we're releasing", 正式发布 + API, weights, docs ...) or two
developer markers — whose only promotional cues are offers (a price, a free tier) stays at 30.

Patterns catch pitches without the classic keywords, each family generic: engagement-bait
funnels (an action, then "I'll DM / send you", "and it's yours"), a capitalized keyword to reply
with ("reply GROW and ..."), 评论「X」, a verb of taking up an offer with its object ("grab a demo
slot", "start a free trial", "book your spot"), scarcity ("5 slots", "taking on 3 more", "free
for the next 24 hours", "closes in 48h"), income and pump claims ("from $0 to $11k", "did $32k
last month", "赚了1.7万", "before the 40x"); phrase families add giveaway mechanics ("chance to
win", "picking winners"), resale ("codes available", "min order", "resellers welcome"), sales
contact (咨询热线, 来电咨询, 加我电报, 拉你进群) and services (接单, 免费出方案, "done-for-you").

``is_ad`` is ``score >= threshold`` (default 0.6, setting ``TWEETPULSE_AD_THRESHOLD``): one
strong phrase or two families are enough; automation, a thin account, a contact handle or a
campaign alone never are, and neither is a campaign with one weak signal (a headline with
"discount" in it, copied by a few outlets), nor form alone: tags, mentions, links and an
auto-poster without promotional language, a contact handle, an advertising client or a thin
account score at most :data:`MAX_FORM_ONLY` (news digests and article shares look like that: on
real AI tweets labelled by hand, all 20 such flags were organic). A retweet is judged by the
text it spreads ("RT @user: " is stripped, and the retweeter's client and account do not count).
Hard negatives that stay organic: a lab's launch with links and prices ("try it at ...", "$3 per
million tokens"), "DM me if you want to collaborate", price-cut news ("cuts H100 prices",
"英伟达限时降价"), warnings about scams that name them ("beware of fake airdrop links"), hiring
posts ("感兴趣的同学可以私信").

**The learned model** (``model``, :mod:`streams.ad_model`): phrase lists miss wording they
have not seen (rules alone: precision 1.00, recall 0.55 on a held-out set written after they
were frozen). Where the rules found promotional language or a contact handle but too little
to call an ad, a logistic regression over the words / Chinese characters around it and their
pairs (:mod:`streams.ad_features`; trained by ``python -m streams.ad_train``) decides:
its probability maps onto the score so that its cutoff lands on 0.6, and when that score
reaches the threshold it replaces the rules' score and ``model`` joins the reasons. It never
flags a tweet in which the rules found no promotional evidence (real organic AI tweets are
full of links, hashtags and launch wording), and it is skipped by the ~90% of tweets without
any, and by scam warnings, reported speech, first-party launches, event announcements and
tweets whose only evidence is a pointing emoji. Scores are cached per text (retweets repeat).
Cross-validated, leave one batch out, on the batches no rule was written from (gen-1, gen-2,
heldout-4): precision 0.98, recall 0.86 (tests/data/README.md).

Round 3 added (see tests/data/ROUNDS.md): price news ("cuts prices to $0.15", "goes from $8 to
$10", "msrp", 降价) whose amounts are no offer; events (talks, meetups, workshops, 沙龙, 讲座)
with sign-up and limited seats but nothing sold, capped like launches; indie launches asking for
feedback (a launch verb with "feedback" / 提意见); phrases that hide a cue ("of course");
reported speech in Chinese (看到有人, 省省吧); and cue families for paid groups (付费群), perks
and resale terms ("skip the waitlist", "no kyc"), free offers taken up with a verb ("book a free
20-minute audit call", strong), joining a paid programme ("join our ... course"), Chinese
scarcity (还剩3个位置) and gain multiples (翻了5倍, 从0做到).

Round 4 added (tests/data/ROUNDS.md): quotations in single quotes ('…' of 21+ characters at
word edges, ‘…’); mockery next to reported speech ("— sir, you made $47k selling the course",
"same guy", "folks", :data:`MOCKERY_PHRASES`), which makes the tweet a warning; the grift
vocabulary and forwarded messages as warnings ("the grift", "forwarded me", "check on your");
and job posts (a hiring phrase with a role or its terms: salary, equity, 工程师, 简历) whose
only promotional language is weak offers and calls to action, capped like launches unless a
job scam's marks appear (a fee, "no experience needed", pay per day, WhatsApp). Speed: the
phrase table and the cue words of the patterns are one Aho-Corasick pass, and what a text
alone yields is cached per text (retweets repeat texts).

Round 5 added (tests/data/ROUNDS.md): an event or study frame — two distinct event markers
(a summit's tickets and CFP, a hackathon's prizes, a user study's thank-you gift card, 注册费,
投稿) with weak cues only stay organic like launches, and no event caps a strong cue; a list of
quoted slogans, however short (“…”、“…”), is reported speech; disclaimers ("not sponsored",
"reminder that") no longer cap the author's own code or referral link. Cue families:
sponsorship sales ("sponsor slots", "rate card", "in my DMs") and paid-post disclosures
("thanks to @x for sponsoring this thread"), the next cohort ("cohort 6 starts"), services in
the first person ("I build them in 5 days", "I help X land Y", "I'll ghostwrite your"), "DM me
the word X", price anchoring ("less than a coffee", 前 50 份), resale "of the official price",
token pumps (埋伏, 下周上所, 还来得及, "going to 50x"), sales claims ("sold 2,000 copies",
"everyone who buys"), things given "on us", "download free", "pinned tweet". Every new pattern
runs only where its cue word is (:data:`_CUE_KINDS`), found in the same one pass.

Round 6 added (tests/data/ROUNDS.md): studies and hackathons as event frames (an interview
study's pay with IRB or ethics approval, 访谈研究 … 酬劳 … 伦理审查; free entry, food provided,
accepted teams; 学生证); a joke told with a funnel line ("… nah", "like a normal person", "the
link to the link", "sarcasm", "new business idea") as mockery, and single quotes that hold an
"I'll"; a first party's price change from a date ("starting today", 即日起) or going down as
news through any client; the author's own disclosed affiliate link (:data:`OWN_LINK_PHRASES`),
which no warning word caps; a testimonial ("I used to think", 以前也觉得) ending in a call to
action, which is no warning; a price rise with a deadline tonight as a pitch, not price news;
"from $0 to" as an income claim. Cue families: B2B services (预约免费咨询, 已服务), Chinese sales
claims (已经卖了2000多份), token shilling (重仓, 群号看主页, "CA pinned", "low cap"), resale
("escrow available", "under list"), scarcity ("once they're gone", "first 20 replies"), "details
on my profile", gated reports ("with your work email"), an audience as the selling point ("38,000
readers get it", "I send 40,000 …"), sponsorship sales ("booking sponsors"), "… 's on us".

Round 7 added (tests/data/ROUNDS.md): an observer who reports or mocks the pitches ("saw an ad
for", "my inbox", "every token I looked at … hard pass", "please don't", "genuine question, not
a setup for", an absurd chain "… an AI course about AI agents, taught by an AI influencer …") is
a warning unless the author's own paid link is there; a founder's launch ("we're finally
launching", "I launched") asking for feedback is a first-party launch. Cue families: agents
recruited (招募代理), "click fast", a presale's last round (预售, 最后一轮), "10x'd my", a pump's
"tiny float", a free start ("no card needed", "free for the first 1,000 users", "then it goes
paid"), a drop ("limited drop", "ships worldwide"), a paid community ("our members"), a
referral link disclosed in Chinese (我的推广链接 … 返佣).

Round 8 added (tests/data/ROUNDS.md): soft calls to action (:data:`SOFT_CTA_PHRASES`: "links
in the replies", "start building", "share this post", "to anyone who replies", "in your
inbox"), which organic tweets use alone and which count only beside an offer, a money promise
or a deadline, never in a launch with a launch verb; an observer quoting a job scam ("real jobs
don't ask you to pay") as a warning; a study recruiting interviewees ("we're studying", "for an
interview", "for your time") as an event frame. Cue families: a bare discount code opening a
clause ("Students: code EXAM20"), wholesale (批发, 账号批发), resale ("we resell", 官方三折: resale
is never a first party's news), coupons (领券, 史低, 再减), a newsletter's audience ("41,000
engineers read it", "14k readers.") with its inbox funnel, hardware for sale ("serious buyers"),
a spend story as the hook ("I spent $40k ... so you don't have to"), "money while I sleep", a
course's job guarantee (包就业), a paid community reopening ("membership reopens", "reopens for
24h only"), reports "free for subscribers", free units ("the first 10 hours are free", "first
1M tokens on us").

Round 9 added (tests/data/ROUNDS.md), from hand-labelled audits of real AI tweets in which
about half of the flags were organic: the author's own content, an event or a livestream
(:data:`SHARE_PHRASES`: "my latest", "new video", "podcast", "webinar", "join me", "waitlist")
beside weak calls to action and deadlines alone is capped like a launch; a price that is the
only promotional cue ("ChatGPT Plus at $20 per month") keeps the model out and, like a pointing
emoji alone or promotional language framed as a launch, event, job post or warning, adds no
evidence to form (:data:`MAX_FORM_ONLY` still caps tags and links around it); a price reported
or judged is no offer (a company "launches", "unveils", "rolls out" a plan; "I'd pay", "would
you subscribe", "too expensive"; a salary, a cost, a revenue, an investment); "$10 billions" is
an amount; webinars, livestreams and talks are event markers; "how to win a" is no giveaway; and
"code" glued to a name ("CodeGPT") is no promo code.

Round 10 added (tests/data/ROUNDS.md), for recall on real AI tweets: a course pushed on a
course marketplace or a free-coupon feed ("on udemy", "this course on @udemy", "🆓 link"), a
product on a storefront by its handle ("on @gumroad"), a money-hook listicle ("ways to make
money with"), a small seller's order line ("order via dm", "call or whatsapp us"), a company's
or a freelancer's pointer to itself as a weak cue ("visit our website", "hire me:"), and where
the links lead: the expanded ``urls`` entities to a storefront or a course platform's coupon
link (:data:`STORE_HOSTS`, :data:`COURSE_HOSTS`), or an app store beside promotional language
(:data:`APP_STORE_LINKS`), checked with string tests only on tweets that have links.

Rounds 11 to 13 (tests/data/ROUNDS.md), for recall on real tweets, each landed by a blind
audit of its new flags: a phone number after a contact word ("call/whatsapp 07…") and a price
in a local currency ("Ksh 4,500", "₦83,000"); assets and domains for sale, template feeds and
Japanese lead magnets ("無料配布"); a vendor's own webinar or course pitched at the reader
(:data:`OWN_OFFER_PHRASES`); giveaways entered by tagging friends (:data:`MIN_TAGGED`); token
pumps ("low market cap", "will become the top gainer"), bounty entries praising a project, a
vendor's feed pitched against ChatGPT, "X for your business" reply pitches, reply bots opening
with their product's category, premium accounts for resale. In Chinese:
sponsored red-envelope templates ("红包中抽到了@"), app download lines, shop terms and shop share
templates, booking lines, Weibo theme and lottery templates, a filter-dodging "微亻言", trading-app
shares and sellers' terms, and the Traditional forms of the Chinese cues (plain strings, listed
once with OpenCC).
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Final

import ahocorasick_rs

from streams.ad_model import AdModel, default_model
from streams.campaigns import CampaignDetector, CampaignHit
from streams.model import AdVerdict, Tweet
from streams.taxonomy import PhraseMatcher, normalize_text

if TYPE_CHECKING:
    from streams.settings import Settings

STRONG, WEAK, EMOJI = 60, 30, 15
EXTRA_FAMILY, EXTRA_PHRASE, MAX_EXTRA_PHRASES = 30, 10, 30
WEIGHTS: Final[dict[str, int]] = {
    "contact": 30,
    "cashtag_stuffing": 30,
    "hashtag_stuffing": 25,
    "mention_stuffing": 25,
    "url_density": 20,
    "auto_client": 15,
    "ad_client": 60,
    "account_signals": 30,
    "campaign": 25,
}
# Every reason code, in the order reasons are listed in a verdict; with report labels (zh, en).
REASONS: Final[dict[str, tuple[str, str]]] = {
    "promo_phrase": ("推广话术", "promotional language"),
    "contact": ("站外联系方式", "off-platform contact handle"),
    "cashtag_stuffing": ("堆砌股票/代币符号", "cashtag stuffing"),
    "hashtag_stuffing": ("堆砌话题标签", "hashtag stuffing"),
    "mention_stuffing": ("堆砌@提及", "mention stuffing"),
    "url_density": ("链接过多或短链", "link density / shorteners"),
    "auto_client": ("自动发布工具", "auto-posting client"),
    "ad_client": ("广告投放工具", "advertising client"),
    "account_signals": ("可疑账号特征", "suspicious account"),
    "campaign": ("多账号同模板", "near-duplicate campaign"),
    "model": ("文本模型判定", "learned text model"),
}
# At most this many distinct (text, signals) model scores and texts' rule findings are kept
# (retweets repeat texts; a bigger text cache costs more in garbage collection than it saves).
MODEL_CACHE_SIZE, TEXT_CACHE_SIZE = 8192, 1024
MIN_CASHTAGS, MIN_HASHTAGS, MIN_MENTIONS, MIN_URLS = 3, 5, 5, 2
# Form alone is no ad: tags, mentions, links and an auto-poster without promotional language,
# a contact handle, an advertising client or a thin account (news digests, article shares,
# conference live posts) score at most this, below the default threshold.
MAX_FORM_ONLY: Final = 50
MAX_FOLLOWING_RATIO, THIN_ACCOUNT_FOLLOWERS, MAX_TWEETS_PER_DAY = 20, 50, 200

FAMILIES: Final = ("offer", "cta", "money", "urgency")
# Emoji that point at a deal; common in organic threads too ("thread below 👇"), so they count
# EMOJI points and add at most that much to another family.
EMOJI_CUES: Final[dict[str, tuple[str, ...]]] = {
    "offer": ("🎁",),
    "cta": ("👉", "👇"),
    "money": ("💰",),
}
# fmt: off
# Matched on normalized text (NFKC + casefold) with word boundaries at ASCII edges; Chinese
# phrases match anywhere. Keep each phrase in the family that says what it does.
STRONG_PHRASES: Final[dict[str, tuple[str, ...]]] = {
    "offer": (
        "free mint", "free followers", "buy followers", "real followers", "lifetime deal",
        "代充", "券后价", "下单链接", "一手货源", "淘口令", "手机淘宝", "量大从优",
        # resale and done-for-you services
        "codes available", "keys available", "accounts available", "min order", "minimum order",
        "bulk discount", "bulk discounts", "bulk pricing", "done-for-you", "done for you",
        "aged accounts", "shared pool", "付费社群", "一件代发", "免费出方案", "批量价",
        # (round 13) student-tool account resale ("PREMIUM ACCOUNT ~ Netflix, Grammarly, Canva
        # pro, Quillbot, Coursehero unlock…", "Grammarly Solo/Shared")
        "premium account", "premium accounts", "premium acc", "coursehero unlock", "solo/shared",
        # (round 16) a domain offered in other words ("<name>.com domain name available for
        # sell", "Domain name for sale:", "#makeoffer … #domainnamesforsale")
        "available for sell", "domain name for sale", "domain names for sale",
        "#domainnamesforsale", "#domainnameforsale", "#makeoffer",
        # (round 17) a store's ranking auto-feed in Japanese ("売れ筋速報! 書籍部門【2位】",
        # "新着ランキング … Amazonランキング第7位", "週間ランキング第51位"): an affiliate bot's
        # template, no one's news
        "売れ筋速報", "売れ筋ランキング", "amazonランキング", "新着ランキング", "週間ランキング第",
        # digital goods and paid groups
        "instant download", "付费群", "收费群", "进群费",
        # a paid post's own disclosure (round 5); "sponsored by" alone is also an event's
        "for sponsoring this", "sponsoring this thread", "sponsoring this post",
        "sponsoring this video", "sponsoring today's", "this thread is sponsored",
        "this post is sponsored", "sponsored post", "#sponsoredpost", "paid partnership",
        "#paidpartnership", "presale is live", "presale live",
        # selling one's audience, resale terms (round 6)
        "booking sponsors", "sponsored episode", "host-read", "escrow available",
        # hardware and resale sold first-hand, gated reports, coupons to claim (round 8)
        "serious buyers", "serious buyers only", "we resell", "i resell", "we're reselling",
        "free for subscribers", "free to subscribers", "free for my subscribers",
        "free for paid subscribers", "领券", "领优惠券", "账号批发",
        # (round 10) a course pushed on a course marketplace, a free-coupon feed ("🆓 link =>"):
        # real promotion names the platform ("course on udemy", "this course on @udemy");
        # a bare "#udemy" in a pile of hashtags is a learner's, and stays out
        "on udemy", "on @udemy", "udemy course", "udemy coupon", "udemy coupons", "🆓 link",
        # the same on a storefront, by its handle: "my e-book is out on @gumroad"
        "on @gumroad", "check out @gumroad", "on @payhip", "on @teachable", "on @appsumo",
        # (round 11) an asset put up for sale ("<name>.com is for SALE!", "#domainforsale"),
        # a free-template feed ("Free automation template ↓ 👉 <link>"), a lead magnet handed
        # out in Japanese ("【無料配布】", "…を配布中", "無料プレゼント", "プレゼント企画")
        "is for sale", "domain for sale", "domains for sale", "#domainforsale",
        "#domainsforsale", "automation template", "automation templates",
        "無料配布", "配布中", "配布します", "無料プレゼント", "プレゼント企画", "限定プレゼント",
        "応募はこちら",
        # (round 11-zh) a sponsored red envelope's template, its sponsor or its prize right after
        # ("我在X 的红包中抽到了@Brand 提供的“…券”", "抽到了“…代金券”"; a family chat's red
        # envelope "在群红包中抽到了5块" stays out), Alipay's co-sent envelope ("抢到了X和@支付宝
        # 钱包 一起发出的现金红包"), a follower-exchange site, gifts for signing up or waiting to
        # be taken ("注册就送10分钟", "40000份…等你来领")
        "红包中抽到了@", "红包中抽到了“", "一起发出的现金红包", "互粉大厅", "注册就送", "等你来领",
        # a shop's terms: refund if it fails, free shipping as the shop's terms, factory-direct
        # sales ("68元包邮" alone stays weak: "买了个9.9元包邮的壳" is a buyer's)
        "无效退款", "特价包邮", "包邮包税", "厂家直销", "一手批发", "接受零售", "招产品代理",
        # a prize pool or a gift to take ("iPhone 6s…等你拿", "买就送鼠标垫"), a shop item shared
        # from the shop's app ("这个宝贝真不错我很喜欢", "我蛮喜欢这个哦～【…】", "我的生活我定制
        # ----来自…客户端")
        "等你拿", "买就送", "这个宝贝真不错", "这个宝贝不错", "推荐这个宝贝", "我蛮喜欢这个哦",
        "我的生活我定制",
        # (round 12-zh) a shop's own voice: thanks to its customers ("回馈新老客户的回馈礼")
        "回馈新老客户",
        # (round 12-zh) Traditional forms of the Chinese cues above, as Taiwan and Hong Kong
        # posts write them (listed with OpenCC s2t/s2twp/s2hk once, offline; plain strings here)
        "券後價", "下單鏈接", "一手貨源", "手機淘寶", "量大從優", "付費社羣", "付費社群",
        "一件代發", "免費出方案", "批量價", "批次價", "付費羣", "付費群", "收費羣", "收費群",
        "進羣費", "進群費", "領券", "領優惠券", "賬號批發", "紅包中抽到了@", "紅包中抽到了“",
        "一起發出的現金紅包", "互粉大廳", "註冊就送", "等你來領", "無效退款", "特價包郵",
        "包郵包稅", "包郵包税", "廠家直銷", "一手批發", "招產品代理", "買就送", "這個寶貝真不錯",
        "這個寶貝不錯", "推薦這個寶貝", "我蠻喜歡這個哦", "我的生活我定製", "回饋新老客戶",
        "回饋新老客户",
        # (round 13-zh) a trading app's share auto-post ("…(来自@同花顺手机炒股)"), a shop's
        # shipping terms ("包顺丰"), a restaurant's deal ("吃多少送多少"); Traditional forms
        "手机炒股)", "包顺丰", "吃多少送多少", "手機炒股)", "包順豐",
        "喫多少送多少",
        # (round 13-zh) a seller's terms on a used or resold item ("二手正品，谢绝质疑", "谢绝议价")
        "谢绝质疑", "谢绝议价", "谢绝还价", "謝絕質疑", "謝絕議價", "謝絕還價",
        # (round 16-zh) Weibo's red-envelope campaign auto-posts in their other wordings: a cash
        # envelope grabbed from an account ("我刚刚抢到了X 的现金红包！", "我抽中了X 的现金红包，
        # 你也快一起来比比…", "…和@Y 发出的联手现金红包"), "我被X 的红包砸中啦", "我刚抢到@X 的新年
        # 红包喔"; a user's own envelope ("我在红包里塞了2元现金") and a star's passcode ("红包
        # 密令") say none of them
        "的现金红包", "联手现金红包", "的红包砸中啦", "的新年红包喔", "的小年现金红包",
        "的現金紅包", "聯手現金紅包", "的紅包砸中啦", "的新年紅包喔", "的小年現金紅包",
        # (round 16-zh) Weibo's prize-campaign auto-post ("我参加了活动“玩微博赢X手机”")
        "我参加了活动“", "我參加了活動“",
        # (round 16-zh) the red-envelope campaign's card game ("我在#让红包飞#PK抢卡中击败了 X，获得
        # Ta的财神卡！集财神卡赢现金大奖")
        "抢卡中击败了", "集财神卡", "搶卡中擊敗了", "集財神卡",
        # (round 16-zh) a second-hand listing shared from 闲鱼 ("我在闲鱼卖·…#来闲鱼，发现更多闲置
        # 超值好物#", "发现一个便宜的闲置宝贝！戳进捡漏！#[转卖]…"), a shop item shared with its
        # price or its sales ("…加固超厚清洁袋中号,现价9.18http://…", "月销量1368件秋装新款…")
        "我在闲鱼卖", "#来闲鱼,发现更多", "发现一个便宜的闲置宝贝", ",现价", "月销量",
        "我在閒魚賣", "#來閒魚,發現更多", "發現一個便宜的閒置寶貝", ",現價", "月銷量",
        # (round 16-zh) a small seller's shipping term: the buyer pays the postage ("尺码34-40
        # [钱]290运费自理")
        "运费自理", "運費自理",
        # (round 17-zh) the shop app's item-share template ("这个很赞哦... 【1234】2016夏季新款…
        # 连衣裙"): the item's title after a fixed line of praise
        "这个很赞哦...", "這個很贊哦...", "這個很讚哦...",
        # (round 18-zh) a prize campaign's promise to those who take part ("关注@X 并转发，即有
        # 机会获得…", "分享就有机会获得鼠标垫", "还有机会赢取手机", "更有机会赢到精美奖品"); a
        # match's "还有机会赢得比赛", "还有机会获得出线权" and a hope's "努力就有机会" say none
        "即有机会获得", "就有机会获得", "有机会赢取", "有机会赢到", "即有机会赢",
        "即有機會獲得", "就有機會獲得", "有機會贏取", "有機會贏到", "即有機會贏",
        # (round 18-zh) the shop app's shopping-list share ("[星光]我分享的购物清单[星光]点赞完，
        # 别忘了拆红包 http://…"), a prize pool to grab (as "等你来领" above)
        "我分享的购物清单", "等你来抢", "我分享的購物清單", "等你來搶",
        # (round 18-zh) a supplier's page shared by its title: the company or the trade site's
        # section right before the link ("…防水涂料厂家-…建材有限公司 http://…", "…造粒机价格
        # 说明 - 江苏南京塑料设备信息 http://…"), a factory's price ("…砂浆厂家价格-…")
        "有限公司 http", "有限公司】 http", "设备信息 http", "厂家价格", "厂家供应价格",
        "設備信息 http", "廠家價格", "廠家供應價格",
        # (round 18-zh) the red-envelope campaign's auto-posts in the wordings quotation removal
        # leaves ("我在X 的红包中抽到了“X财神卡”！…也许你的惊喜更大哦"), the co-sent envelope
        # ("我抽到了@X 和@Y 的红包！新的一年肯定有财运～不信你试试…"; a person's "新的一年肯定
        # 有财运" alone is no template)
        "也许你的惊喜更大", "肯定有财运~不信你试试", "也許你的驚喜更大", "肯定有財運~不信你試試",
        # (round 19-zh) a campaign named for its gift ("#分享有礼#", "『签到有礼』", "【转发有礼】",
        # "#X微博有礼#"), the platforms' perk auto-posts ("我刚刚在#微博等级专享礼#中领取了…",
        # "我在…#360会员中心#，发现了“…”特权，已经有19892人领取啦！")
        "分享有礼", "签到有礼", "转发有礼", "参与有礼", "微博有礼", "注册有礼", "下载有礼",
        "关注有礼", "评论有礼", "微博等级专享礼", "特权,已经有",
        "分享有禮", "簽到有禮", "轉發有禮", "參與有禮", "微博有禮", "註冊有禮", "下載有禮",
        "關注有禮", "評論有禮", "微博等級專享禮", "特權,已經有",
        # (round 19-zh) the shop apps' share lines ("我27.9元拼了【…】，大家快来拼多多吧！ http://…
        # (来自-拼多多)", a brand's "#双11来了#…X在天猫等你。")
        "快来拼多多吧", "(来自-拼多多)", "在天猫等你",
        "快來拼多多吧", "(來自-拼多多)", "在天貓等你",
        # (round 19-zh) a coupon without a threshold ("戳它领取无门槛现金红包~"); "参赛无门槛" is
        # no coupon
        "无门槛现金", "无门槛红包", "无门槛优惠", "无门槛券", "无门槛代金",
        "無門檻現金", "無門檻紅包", "無門檻優惠", "無門檻券", "無門檻代金",
        # (round 19-zh) a classified site's auto-post ("我刚刚在#58同城#发布了一条#婚庆#信息：…")
        "#发布了一条#", "#發佈了一條#", "#發布了一條#",
    ),
    "cta": (
        "link in bio", "link in my bio", "links in bio", "link in profile", "check my bio",
        "link in my profile", "links in my profile", "in my profile 👇",
        "dm me for", "dm us for", "sign up with my", "dm for promo", "dm for collab",
        "dm for price", "dm for prices", "claim your", "claim now", "claim here", "claim free",
        "claim it now", "buy now", "shop now",
        "order now", "grab yours", "grab it now", "get yours now", "drop your wallet",
        "join our telegram", "join my telegram", "join our vip", "join vip",
        "referral code", "referral link", "use my link", "use my code", "sign up with my link",
        "加微信", "加我微信", "加v信", "加vx", "加 vx", "加薇", "薇信", "私信领取", "点击领取",
        "免费领取", "评论区扣", "扣1", "详情私信", "私聊上车", "代理加盟", "招代理", "诚招代理",
        "广招", "招商加盟",
        # giveaway mechanics, funnels, sales contact (EN + ZH)
        "for a chance to win", "chance to win", "picking winners", "winners announced",
        "winner announced", "to win a", "resellers welcome", "talk to sales", "drop your email",
        "咨询热线", "来电咨询", "电话咨询", "拉你进群", "拉你进", "加我电报", "加电报",
        "进内部群", "预约直播",
        # a keyword to send back, however it is introduced (round 5)
        "dm me the word", "dm the word", "comment the word", "reply with the word",
        "reply the word", "type the word", "send me the word", "comment the keyword",
        # where the offer is, and codes given to an audience (round 6)
        "details on my profile", "details in my profile", "details on profile",
        "details in bio", "details in my bio", "code for followers", "code for my followers",
        "群号看主页", "预约免费咨询",
        # agents recruited, an urgent click (round 7)
        "招募代理", "全国招募", "click fast",
        # (round 10) a small seller's own order line
        "order via dm", "dm to get yours", "call or whatsapp us", "whatsapp us on",
        "whatsapp us at", "call us now",
        # (round 11) a course's sign-up: universities and course sellers say it, events do not
        "enroll now", "enrol now",
        # (round 12) a vendor's own product pitched as the answer to the reader's business in a
        # reply ("@a @b AI powered chatbot for your business"), a contact to have one built
        "chatbot for your business", "chatbots for your business", "platform for your business",
        "solution for your business", "solutions for your business", "contact me to build",
        "contact us to build", "contact me to create",
        # (round 11-zh) an app pushed for download, a link after a colon ("APP下载地址：",
        # "喜马拉雅APP下载："; "谁有下载地址？" asks), a booking line, a giveaway's call written
        # around the filter ("Zhuan此微博")
        "下载地址:", "下载地址 http", "app下载:", "订房专线", "订购专线", "zhuan此微博",
        "zhuan发此",
        "訂房專線", "来电预订", "來電預訂", "抢购地址", "购买地址",
        # (round 12-zh) Weibo's theme/cover auto-post ("我正在使用“X”封面图，好漂亮，你们都快来
        # 试试！"), an app's "search for it in the App Store", a contact word spelled around the
        # filter ("询价请加微亻言：…")
        "你们都快来试试", "app store搜索", "微亻言",
        # (round 12-zh) Traditional forms (as above)
        "私信領取", "點擊領取", "點選領取", "免費領取", "評論區扣", "詳情私信", "私聊上車",
        "誠招代理", "廣招", "諮詢熱線", "來電諮詢", "電話諮詢", "拉你進羣", "拉你進群", "拉你進",
        "加我電報", "加電報", "進內部羣", "進內部群", "預約直播", "羣號看主頁", "群號看主頁",
        "預約免費諮詢", "全國招募", "下載地址:", "下載地址 http", "app下載:", "訂購專線",
        "zhuan發此", "搶購地址", "購買地址", "你們都快來試試", "app store搜尋",
        # (round 13-zh) a members' perk auto-post ("我正在使用…装扮，你也来感受一下！")
        "你也来感受一下", "你也來感受一下",
        # (round 16-zh) a seller's call to its customers ("有需要的亲快买起来", "需要的亲们私聊")
        "需要的亲", "需要的親",
        # (round 16-zh) an app or a game pushed for download ("就快来下载《…》！", "发现一款很不错的
        # 应用【X】，赶紧下载体验一下吧！", "赶紧来下载吧>>")
        "快来下载", "赶紧下载", "赶紧来下载", "快來下載", "趕緊下載", "趕緊來下載",
        # (round 17-zh) a link pointed at with arrows after a push or at the readers ("必须推荐
        # >> http://…", "链接分享>>[xx]http://…", "快戳>>http://…", "分享给姐妹们>>", "看这里>>")
        "推荐>>", "分享>>", "戳>>", "们>>", "这里>>", "推薦>>", "們>>", "這裏>>", "這裡>>",
        # (round 19-zh) an app store's download share ("刚在 @某某应用市场 下载了“X”，不赞不行！")
        "应用市场 下载了", "应用商店 下载了", "應用市場 下載了", "應用商店 下載了",
    ),
    "money": (
        "passive income", "guaranteed profit", "guaranteed profits", "guaranteed returns",
        "make money online", "earn money online", "make money while you sleep",
        "日赚", "躺赚", "稳赚", "稳赚不赔", "保本", "月入过万不是梦",
        "the exact system", "the exact prompts",
        "the exact playbook", "the exact framework", "稳定月化", "月化", "百倍潜力",
        # (round 10) a money-hook title, a listicle of income schemes
        "ways to make money with", "ways to make money using", "ways to earn money with",
        # (round 12-zh) Traditional forms (as above)
        "日賺", "躺賺", "穩賺", "穩賺不賠", "月入過萬不是夢", "穩定月化", "百倍潛力",
        # (round 12) a token pump's pitch: the gain predicted, the "low market cap" as upside
        # ("launched at $55k marketcap ... lot of upside at such low marketcap")
        "will become the top gainer", "will be the top gainer", "low marketcap", "low market cap",
        "low mcap", "lowcap project", "lowcap gem", "low cap gem",
    ),
    # a paid community or a course reopening its doors (round 8)
    "urgency": (
        "membership reopens", "enrollment reopens", "enrolment reopens", "cart reopens",
        "membership reopen",
    ),
}
WEAK_PHRASES: Final[dict[str, tuple[str, ...]]] = {
    "offer": (
        "giveaway", "giveaways", "giving away", "airdrop", "airdrops", "airdropping",
        "presale", "pre-sale", "whitelist", "lifetime access", "lifetime warranty",
        "discount", "discounts", "coupon", "coupons", "coupon code", "discount code", "promo",
        "promos", "free trial", "% off", "early-bird", "early bird", "black friday",
        "cyber monday", "flash sale", "buy cheap", "cheapest", "lowest price", "half price",
        "for just $", "only $", "prompt pack", "free guide", "free ebook", "reseller", "resell",
        "sponsored", "#ad", "#sponsored", "on sale", "normally $", "starting at $",
        "fast delivery", "instant delivery", "free webinar", "free masterclass", "masterclass",
        "free course", "free templates", "free toolkit", "no experience required",
        "no experience needed", "for sale", "price list", "white-label", "white label",
        "free credits", "free licenses", "free lifetime", "lifetime license", "lifetime licenses",
        "first week free", "first month free", "months free", "free picks", "free signals",
        "5-star reviews", "real reviews", "my gig", "fiverr", "course", "cohort", "bootcamp",
        "lessons", "coaching", "cheat sheet", "swipe file", "templates", "presets", "bundle",
        "lifetime updates", "money-back", "money back", "one-time", "free forever",
        "forever free", "free plan", "no credit card", "cancel anytime", "first issue free",
        "credits each", "paid newsletter", "private community", "vip", "happy clients",
        "proven results", "for your brand", "for your business", "accounts available",
        # (round 12) a vendor's feed pitching its product against the famous one: "👈 Get the #XAPI
        # that does what #chatGPT cannot do" ("see the ad" is also a job post's: left out)
        "does what chatgpt cannot", "does what #chatgpt cannot", "does what chatgpt can't",
        "does what #chatgpt can't", "does what chatgpt doesn't", "does what #chatgpt doesn't",
        "does what chat #gpt doesn't", "does what chat #gpt cannot",
        # (round 13) a business's own pitch at the reader's business ("Grow your business with
        # <link>"; "tools directory" was tried and left out: a recommender says it too)
        "grow your business with",
        # (round 16) a newsletter as the lead magnet ("get them from my free newsletter",
        # "Become a subscriber for free"); "subscribe" (a weak call) makes it two families
        "my free newsletter", "our free newsletter", "subscriber for free",
        # (round 16) a seller's own price claim ("Get your domain & hosting on best price at
        # <link>", "an awesome course at cheaper price", "fixed at affordable prices"); an
        # opinion's "at a cheap price" stays out
        "at cheaper price", "at a cheaper price", "at best price", "on best price",
        "at the best price", "at affordable price", "at affordable prices",
        "at an affordable price", "at a good price", "at good price",
        # (round 16) a freelancer's or a small firm's service pitched at the reader ("Are you in
        # need of a professional website? … I am here to provide you with …", "I offer a service
        # to create …", "We provide best quality photo editing services")
        "are you in need of", "here to provide you with", "i offer a service",
        "we provide best",
        # (round 17) a freelancer's portfolio as the pitch ("Check out my latest work for my
        # client 👉 <link>") and a vendor's trial ("Try our platform for free now! <link>")
        "work for my client", "work for my clients", "for free now",
        "serious offers", "selling my", "appsumo", "affiliate", "gift card", "gift cards",
        "stealth launch", "liquidity burned", "contract renounced", "#giveaway", "#airdrop",
        "#presale", "#affiliate",
        "resellers", "wholesale", "bulk", "commissions", "open for commissions", "retainer",
        "mentorship", "playbook", "waitlist gets", "it's free", "free for the next",
        "free migration", "free audit", "free consultation", "24h delivery", "48h delivery",
        "turnaround", "per seat", "slots this week", "beta access",
        "my gumroad", "gumroad", "pay what you want", "prompt library", "node sale",
        # perks, resale terms and digital goods (round 3)
        "skip the waitlist", "half off", "bonus month", "not gatekeeping", "my toolkit",
        "below list price", "below official price", "no kyc", "usdt accepted", "usdt",
        "for a trial", "free live training", "free training", "an offer for", "holders get",
        "mint is live", "minting now", "whole pack", "the pack", "my templates",
        "开盘", "群费", "陪跑", "系统学",
        "members-only", "members only", "plagiarism-free", "any deadline", "fixed price",
        "delivered in", "$0 upfront", "pay only when", "only pay when", "onboarding fee",
        "算力出租", "显卡出租", "账号出租", "全网最低", "一条龙",
        "接单", "报价表", "报价", "招商", "总代", "带货", "包月", "年费", "招生",
        "零基础", "手把手", "回本", "返佣", "老号", "矩阵号", "最划算", "老价格",
        "永久免费", "免费发你", "提示词大全", "星友", "知识星球",
        # sponsorship sales, price anchoring, resale, first-person services (round 5)
        "sponsorship slots", "sponsor slots", "sponsorship spots", "sponsor spots",
        "sponsorship packages", "rate card", "media kit", "ad slots", "for sponsoring",
        "less than the price of", "price of lunch", "price of a coffee", "less than a coffee",
        "cheaper than a coffee", "of the official price", "of official price", "free tokens",
        "pro version", "my paid", "paid subscribers get", "subscribers get", "everyone who buys",
        "anyone who buys", "financing available", "payment plan", "payment plans",
        "portfolio and pricing", "founders price", "founder price", "starter kit",
        "gets my free", "for mid-size teams", "for mid-size companies", "for smbs",
        "for saas companies", "官方价的",
        "官方价格的",
        # resale, B2B services, gated reports, invite codes, audiences (round 6)
        "escrow", "fast handover", "under list", "fraction of the price",
        "invite codes", "with your work email", "need a work email", "for free this",
        "warranty included", "info pack", "promo keys",
        "免费咨询", "远程安装", "包教包会", "一对一",
        "已服务", "我的公众号", "在公众号", "直接拿走",
        # free to start, merch, a paid community, a presale (round 7)
        "no card needed", "no card required", "no credit card needed", "free for the first",
        "ships worldwide", "worldwide shipping", "our members", "inside the vault", "预售",
        # wholesale, hardware for sale, digital goods, coupons (round 8)
        "批发", "below market", "selling:", "handing out", "free premium", "blueprint",
        "free to start", "模板包", "永久更新", "史低", "好价", "再减",
        "private deals", "tool deals", "daily alpha",
        "优惠", "优惠券", "折扣", "福利", "空投", "抽奖", "抽送", "转发抽", "送代币", "低至",
        "特价",
        # (round 11-zh) a shop's sale and its goods ("店主做活动", "必入", "热卖中"), a members'
        # perk pushed ("会员专属头像挂件"), a training course ("【开课通知】…培训课程")
        "做活动", "必入", "热卖", "会员专属", "培训课程", "现货供应", "元包邮",
        "秒杀", "包邮", "拼车", "共享账号", "独享账号", "包售后", "质保", "价格实惠", "原价",
        "立减", "买一送一", "买二送一", "代购", "代做", "代写", "出售", "转让", "不封号", "货源",
        "减肥", "瘦身", "互粉", "淘宝", "天猫", "微商", "分销", "加盟", "促销", "大促", "清仓",
        "让利", "抵用券", "代金券", "现金券", "注册就送", "注册即送", "注册送", "货到付款", "现货",
        "代付", "售后", "量大可谈", "比官方便宜", "中转", "免翻墙", "不用翻墙", "镜像站", "免费送",
        "送出", "抽取", "定制", "价格美丽", "当天交付", "发货", "全额退款", "内部版", "商用素材",
        "试用", "首月", "只要", "兑换码", "开奖", "早鸟价", "承接", "价格公道", "加急", "成色",
        "九新", "出二手", "面交", "仅剩", "训练营", "课程", "开通", "搞钱", "日入",
        # (round 12-zh) a seller's claims about the goods ("0激素，0副作用", "百分百好评率",
        # "韩国火爆热卖") and its terms ("凡购买两盒…送…"); a buyer may repeat them, so weak
        "凡购买", "无副作用", "0副作用", "零副作用", "没有任何副作用", "好评率", "火爆热卖",
        "新老客户",
        # new stock and a sales record ("#新品上架#", "全网热销5年"): a customer reports them too
        "新品上架", "全网热销",
        # (round 12-zh) Traditional forms (as above)
        "開盤", "羣費", "群費", "系統學", "顯卡出租", "顯示卡出租", "賬號出租", "全網最低",
        "一條龍", "接單", "報價表", "報價", "總代", "帶貨", "年費", "零基礎", "老號", "矩陣號",
        "老價格", "永久免費", "免費發你", "提示詞大全", "知識星球", "官方價的", "官方價格的",
        "免費諮詢", "遠程安裝", "遠端安裝", "包教包會", "一對一", "已服務", "我的公衆號",
        "我的公眾號", "在公衆號", "在公眾號", "預售", "批發", "好價", "再減", "優惠", "優惠券",
        "抽獎", "轉發抽", "送代幣", "特價", "做活動", "熱賣", "會員專屬", "培訓課程", "現貨供應",
        "元包郵", "秒殺", "包郵", "拼車", "共享賬號", "獨享賬號", "包售後", "質保", "價格實惠",
        "原價", "立減", "買一送一", "買二送一", "代購", "代寫", "轉讓", "不封號", "貨源", "減肥",
        "淘寶", "天貓", "分銷", "促銷", "清倉", "讓利", "現金券", "註冊即送", "註冊送", "貨到付款",
        "現貨", "售後", "量大可談", "中轉", "免翻牆", "不用翻牆", "鏡像站", "映象站", "免費送",
        "定製", "價格美麗", "當天交付", "發貨", "全額退款", "內部版", "試用", "兌換碼", "兑換碼",
        "開獎", "早鳥價", "價格公道", "僅剩", "訓練營", "搞錢", "凡購買",
        "無副作用", "沒有任何副作用", "好評率", "火爆熱賣", "新老客戶", "全網熱銷",
        # (round 13-zh) an item listing's words: a celebrity's "同款", a used item's grade and
        # price ("99新", "只卖几百元"); a buyer uses each too, so weak
        "同款", "99新", "95新", "只卖", "二手正品", "只賣",
    ),
    "cta": (
        # (round 10) a company's or a freelancer's pointer to itself: "visit our website",
        # "hire me: <link>" (a lab's, a library's, a job seeker's too, so only beside more)
        "visit our website", "hire me:", "hire me on",
        "dm me", "dm me now", "dm now", "to enter", "tag a friend", "tag friends",
        # (round 11) a seller's own voice: "Chatbot solution for your business. We offer ...",
        # "we deliver countrywide"
        "we offer", "we deliver", "deliver countrywide", "delivery countrywide",
        "countrywide delivery", "place your order",
        "tag 2 friends", "tag 3 friends", "tag your friends", "follow and rt", "follow + rt",
        "follow & rt", "rt and follow", "like, rt", "like and rt", "like & rt", "rt and tag",
        "follow me and", "and i'll dm", "i'll dm you", "and i'll send", "i'll send you",
        "sign up now", "register now", "register here", "enroll here",
        "join now", "subscribe today", "click the link", "check out my", "start your free trial",
        "try it free", "in bio", "in my bio", "grab it", "apply here",
        "book a call", "book a demo", "download now", "get started", "start now", "copy my trades",
        "dm us", "invite link", "upvote", "rt +", "rt this", "retweet this", "so i can dm you",
        "enrollment", "enroll", "apply now", "book your", "dm to book", "reply with",
        "comment below", "repost", "follow +", "try free", "click here", "link below",
        "don't fade", "connect wallet", "refer a friend", "refer friends", "refer 2 friends",
        "refer 3 friends", "refer 5 friends",
        "subscribe", "subscribe so", "dms open for", "dm for", "dm 📩", "book via", "book here",
        "register →", "quote-tweet with", "quote tweet with", "grab them here", "apply:",
        "join the telegram", "join the discord",
        "my referral", "message me", "message us", "hit reply", "just reply", "link at the end",
        "link in the last tweet", "in the last tweet", "links below", "register below",
        "sign up below", "get it before", "free here", "we should talk", "mention this tweet",
        "references on request", "想了解的", "可以关注一下", "群号", "想跟的", "不方便公开",
        "enrolment", "ape in", "ape responsibly", "mint now",
        # (round 22) a pump's call to buy, as "ape in" ("look at the market cap and FOMO in")
        "fomo in",
        "扣我", "私我", "滴滴", "进我的", "的朋友可以", "的兄弟", "抓紧上车",
        "via my link", "through my link", "my link", "link that gets you", "dms open",
        "partner with us", "sign up in", "apply today", "join here", "we write your",
        "we'll set", "i'll set it up", "i'll set one up", "i'll build", "we'll build",
        "我的链接", "致电",
        "预约", "感兴趣的先预约", "评论区", "点主页", "主页链接", "加我", "联系我们",
        "加v", "加 v", "加q", "加 q", "私信", "私聊", "扫码", "进群", "戳链接", "点击链接", "报名",
        "关注公众号", "回复", "详情看主页", "看主页", "免费试听", "上车", "转发此微博",
        "转发本条微博", "转发这条", "关注并转发", "关注转发", "关注+转发", "关注 + 转发",
        "转发+关注",
        "转发 + 关注", "转发+评论", "转发 + 评论", "@3位好友",
        "@三位好友", "@2位好友", "@两位好友", "店铺地址", "淘宝店", "淘宝搜", "微店", "进店",
        "询价", "赶紧来注册", "欲购从速", "速速", "v我", "私我", "滴滴我", "私聊我", "有需要的",
        "需要的老板", "需要的朋友", "立即体验", "点击下方链接", "下方链接", "下单", "私发",
        "主页链接", "欢迎咨询", "老板们", "有需要联系", "联系我", "详情见置顶", "见置顶",
        "扫码占位",
        # where the deal is, and how it is taken (round 5)
        "in dms", "in my dms", "in their dms", "in your dms", "pinned tweet", "in the pinned",
        "in my pinned", "see pinned", "now booking", "booking now", "see it live",
        "download free", "download for free", "when you sign up", "my email list",
        "my mailing list", "tap the link", "link's in", "link's below", "link's at",
        "buy with", "yours for",
        # (round 7)
        "try it →", "try it free →",
        # (round 13) the maker's own call to try or visit ("Try it here: <link>", "try our chat
        # now", "Visit us: <link>", "start shopping now", "get your copy today"); weak: a
        # second cue or the model decides
        "try it now", "try it here", "try our", "visit us", "start shopping", "get your copy",
        "grab your copy",
        # (round 16) a business's own contact line and a service's quote or order funnel: "Just
        # contact us.", "Contact us for web development …", "we'll assist you", "Get your quote-
        # <link>", "For more details & Order for similar work!"; weak: the error message "please
        # contact us through our help center" is neutral (below), and a lab's "contact us at"
        # needs a second cue or the feed's tags and links
        "contact us", "contact us now", "contact us today", "we'll assist you",
        "let us help you", "get your quote", "get a quote", "get a free quote",
        "request a quote", "for a free quote", "for similar work",
        # (round 16) an artist's push for a release under a trending-tag wall ("Presave: <link>",
        # "Pre-save my new album on Spotify"): the tags and links make it flag, not the word alone
        "presave", "pre-save", "presave:",
        # (round 16) a freelance service's order call ("Place order for your data project! <link>")
        "place order", "join and place order",
        # (round 17) a business's mailbox or its mail label as the order line ("Email:
        # info@…", "📧 sales@…", "Project Inquiry at: …", "write to orders@…"); weak: with the
        # feed's tags and links, or a second cue, it flags; a person's address alone does not
        "email:", "📧", "info@", "sales@", "orders@", "enquiries@", "inquiries@", "business@",
        "project inquiry", "project inquiries", "for inquiries", "for enquiries",
        # (round 17) spellings of round 8's "sign up now", and a free account as the funnel
        # ("Sign up for a free account & courses at <link>"; "sign up for the premium plan" in
        # an opinion is not listed)
        "signup now", "sign-up now", "sign up for a free",
        # (round 8) "grab a key →", "一次购买永久更新", "点链接领券"
        "grab a key", "grab your key", "grab an api key", "一次购买", "点链接",
        # (round 11-zh) a share's "you try it too" ("你也来试试吧"), a seller's "call if
        # interested" ("有意向联系"), a course's opening notice, a download link
        "你也来试试吧", "你也一起来试试吧", "快来试试吧", "赶紧来试试吧", "你也来试试手气",
        "快来和我一起体验吧", "有意向联系", "有意者请联系", "有意请联系",
        "开课通知", "点击链接下载", "立即下载", "心动的朋友", "赶紧行动", "体验群",
        # (round 12-zh) the lottery template's "转发此条微博，并@ 3位好友" (Weibo puts a space after
        # the @), a link to the goods after a colon ("分享地址：", "想要的看地址："), a pitch
        # addressed to a crowd of buyers ("给姐妹们推荐一款…")
        "转发此条微博", "@ 3位好友", "@ 三位好友", "@ 2位好友", "@ 两位好友", "分享地址",
        "看地址:", "给姐妹们推荐",
        # (round 12-zh) Traditional forms (as above)
        "可以關注一下", "羣號", "群號", "不方便公開", "進我的", "抓緊上車", "我的鏈接", "我的連結",
        "致電", "預約", "感興趣的先預約", "評論區", "點主頁", "主頁鏈接", "主頁連結", "聯繫我們",
        "聯絡我們", "掃碼", "進羣", "進群", "戳鏈接", "戳連結", "點擊鏈接", "點選連結", "報名",
        "關注公衆號", "關注公眾號", "回覆", "詳情看主頁", "看主頁", "免費試聽", "上車",
        "轉發此微博", "轉發本條微博", "轉發這條", "關注並轉發", "關注轉發", "關注+轉發",
        "關注 + 轉發", "轉發+關注", "轉發 + 關注", "轉發+評論", "轉發 + 評論", "@兩位好友",
        "店鋪地址", "淘寶店", "淘寶搜", "進店", "詢價", "趕緊來註冊", "欲購從速", "需要的老闆",
        "立即體驗", "點擊下方鏈接", "點選下方連結", "下方鏈接", "下方連結", "下單", "私發",
        "歡迎諮詢", "老闆們", "有需要聯繫", "有需要聯絡", "聯繫我", "聯絡我", "詳情見置頂",
        "見置頂", "掃碼佔位", "一次購買", "點鏈接", "點連結", "你也來試試吧", "你也一起來試試吧",
        "快來試試吧", "趕緊來試試吧", "你也來試試手氣", "快來和我一起體驗吧", "有意向聯繫",
        "有意向聯絡", "有意者請聯繫", "有意者請聯絡", "有意請聯繫", "有意請聯絡", "開課通知",
        "點擊鏈接下載", "點選連結下載", "立即下載", "心動的朋友", "趕緊行動", "體驗羣", "體驗群",
        "轉發此條微博", "@ 兩位好友", "給姐妹們推薦",
        # (round 13-zh) a link to the goods: "详情请戳http://…"
        "请戳", "請戳",
    ),
    "money": (
        "make money", "making money", "side hustle", "100x", "1000x", "50x", "win rate",
        "financial freedom", "your 9-5",
        "月入过万", "月入", "日结", "副业", "兼职", "返利", "提成", "被动收入", "变现", "月收益",
        "年化收益", "理财", "赚钱", "炒股", "包过", "get rich", "make people rich",
        "keep 100% of", "mrr", "money-making", "earn passive", "#passiveincome",
        "#makemoneyonline", "#sidehustle",
        "here's the exact", "here is the exact", "the exact prompt", "the exact stack",
        "pays my rent", "revenue screenshot", "nfa",
        "about to break out", "ca pinned", "ca is pinned", "low cap", "重仓", "满仓",
        "about to go parabolic", "ca in replies", "ca below", "i'm loading", "loading up",
        "weekly payouts", "30% margin",
        "涨粉", "广告收入", "变现案例", "收益", "上车时机",
        "apy", "real yield", "money on the table", "triple my",
        "月流水", "流水", "recurring commission", "next leg up", "loaded at",
        "pick your own hours", "work from your phone", "quit my 9-5", "my 9-5",
        # promises and token pumps (round 5)
        "on autopilot", "made that back", "made it back", "building positions", "埋伏", "下周上所",
        "即将上所", "马上上所", "上所了",
        # an income story's result, a pump's float (round 7)
        "10x'd my", "10x’d my", "tiny float", "low float", "insiders buying",
        # a course's promised job, money made asleep (round 8)
        "job guarantee", "job guaranteed", "guaranteed job", "job placement guarantee",
        "包就业", "保就业", "while i sleep",
        # (round 11-zh) a trading-signal group by name ("现货白银喊单VIP体验群", "喊单群：…")
        "喊单vip", "喊单群",
        # (round 12-zh) an investment pitch's promise ("投资收益回报稳定")
        "回报稳定", "收益稳定",
        # (round 12-zh) Traditional forms (as above)
        "月入過萬", "日結", "兼職", "被動收入", "變現", "理財", "賺錢", "包過", "重倉",
        "滿倉", "漲粉", "廣告收入", "變現案例", "上車時機", "下週上所", "即將上所", "馬上上所",
        "包就業", "保就業", "喊單vip", "喊單羣", "喊單群", "回報穩定", "收益穩定",
        # (round 12) a token pump's contest line and its hashtags ("$X will become the top gainer
        # in Feb @a @b @c #CoinEx", "#100xGems")
        "top gainer", "top gainers", "#100xgem", "#100xgems", "#1000xgem", "#1000xgems",
    ),
    "urgency": (
        "limited time", "limited-time", "limited offer", "limited-time offer", "last chance",
        "ends tonight", "ends at midnight", "ends today", "hurry", "don't miss", "act now",
        "today only", "this week only", "hours only", "before it closes",
        "before the price goes up", "limited seats", "limited spots", "spots left", "going fast",
        "price ends", "offer ends", "final hours", "last hours", "until monday",
        "until midnight", "after midnight", "prices increase", "slots open", "seats",
        "limited cohort", "snapshot", "ends soon", "仅限", "名额",
        "限时", "名额有限", "仅限今天", "先到先得", "最后一天", "手慢无", "数量有限", "错过不再",
        "expires soon", "closes in", "closes soon", "goes to $",
        "this week only", "满员", "满员就停", "涨价", "即将截止", "早鸟",
        "price goes up", "prices go up", "capped at", "sold out last time", "抓紧", "还没上车",
        "doors close", "doors closing", "nobody told you", "will miss it",
        "after tonight", "at midnight", "when they're gone", "once they're gone",
        # (round 5)
        "还来得及", "last call", "next cohort", "cohort closes", "cohort close",
        "price doubles", "doubles tonight", "first come first served", "first come, first served",
        # a drop, a presale's last round, free until it goes paid (round 7)
        "limited drop", "最后一轮", "错过这次", "then it goes paid", "before they patch",
        # a paid community reopening for a while (round 8)
        "reopens for", "reopen for", "reopening for",
        # (round 13) a seller's push at the reader ("So what are you waiting for? Sign up")
        "what are you waiting for",
        # (round 12-zh) a seller's push ("赶紧抢吧，不要错失良机"; "千万不要错过" is also a
        # listicle's, left out)
        "赶紧抢", "错失良机",
        # (round 12-zh) Traditional forms (as above)
        "僅限", "名額", "限時", "名額有限", "僅限今天", "最後一天", "手慢無", "數量有限",
        "錯過不再", "滿員", "滿員就停", "漲價", "即將截止", "早鳥", "抓緊", "還沒上車", "還來得及",
        "最後一輪", "錯過這次", "趕緊搶", "錯失良機",
    ),
}
# A tweet that warns about scams quotes their language ("scam DMs promising guaranteed
# returns"): with one of these, promotional language counts as one weak phrase at most. Spam's
# own reassurances ("not a scam", "100% legit") are offers and hide the "scam" inside them.
WARNING_PHRASES: Final = (
    "scam", "scams", "scammer", "scammers", "beware", "phishing", "report and block", "spam",
    "psa", "block and move on", "it's a bot",
    # reported speech and disclaimers: the promo language is someone else's, or denied
    "got a dm", "got this dm", "got dms", "don't fall for", "do not fall for",
    "it's not us", "that's not us", "never ask you", "never dm you", "will never dm",
    "seeing a wave of", "impersonating", "not selling anything",
    "诈骗", "骗局", "骗子", "警惕", "小心", "别上当", "智商税", "割韭菜", "冒充", "千万别",
    "一律别", "别点", "引流", "纯分享", "没收钱", "不是广告",
    "省省吧", "看到有人", "有人说", "收割", "the only product is",
    # mockery of the grift and forwarded scams (round 4)
    "grift", "grifts", "grifter", "grifters", "grifting", "forwarded me", "forwarded this",
    "check on your", "转发给我", "发给我看",
    # commentary and warnings in Chinese (round 5)
    "讽刺的是", "来路不明", "容易封号", "想吐",
    # a joke told with a funnel line (round 6): "Comment GUIDE and I'll DM you... nah"
    "sarcasm", "... nah", "...nah", "like a normal person", "link to the link",
    "new business idea", "business idea:",
    # an observer reporting or mocking the pitches (round 7): "saw an ad for ... please don't",
    # "every token I looked at had ... hard pass", "my inbox", "not a setup for a course"
    "saw an ad for", "saw an ad", "my inbox", "i looked at", "hard pass", "please don't",
    "not a setup for", "genuine question", "is anyone actually", "red flags", "on my feed",
    "in my feed", "on my timeline",
    # an observer quoting a job scam's line (round 8): '"… just buy the starter kit first." Real
    # jobs don't ask you to pay to start.'
    "real jobs don't", "real jobs never", "legit jobs don't", "real employers don't",
    "real companies don't", "don't ask you to pay", "doesn't ask you to pay",
    "never ask you to pay", "don't make you pay",
)
# Calls to action that organic tweets use on their own ("paper link in the replies", "start
# building", "share this post"): they count (weak) only beside an offer, a money promise or a
# deadline, and not in a first party's launch (a launch verb: "Introducing X ... start
# building") (round 8).
SOFT_CTA_PHRASES: Final = (
    "link in the replies", "links in the replies", "link in replies", "links in replies",
    "link in the comments", "links in the comments", "links in the reply",
    "start building", "sign up this week", "sign up before", "anyone who replies",
    "everyone who replies", "anyone who comments", "everyone who comments",
    "anyone who retweets", "share this post", "share this tweet", "fill the form",
    "fill out the form", "fill in the form", "in your inbox", "to your inbox", "into your inbox",
    "free to join", "our discord", "⤵️", "⤵",
)
# A post about the author's own content, an event or a livestream (round 9): "check out my
# latest blog post", "new video:", "did a podcast on", "come join me tomorrow", "join the
# waitlist", "follow me for more". Beside calls to action and deadlines alone (weak ones: no
# offer, no money promise) the call is to read, watch or attend, not to buy: capped like a launch.
SHARE_PHRASES: Final = (
    "my latest", "my new", "new video", "new blog", "blog post", "my blog", "our blog",
    "on the blog", "my article", "this article", "full article", "read more", "read full",
    "read the full", "my story", "my take", "my thoughts", "my piece", "latest piece",
    "podcast", "episode", "my video", "made a video", "my channel", "my youtube",
    "webinar", "livestream", "live stream", "going live", "join me", "join us", "come join",
    "tune in", "fireside chat", "panel", "waitlist", "follow me for more", "follow for more",
    "in this video", "this video", "new article", "read the complete", "continue reading",
    "the complete news", "full story", "our session", "the session", "my podcast",
    "我的文章", "新视频", "直播", "播客",
)
# (round 11) What a business offers in its own voice, first person plural: "join our webinar
# ... register now", "our comprehensive course", "join our waitlist". A weak offer; beside a call
# to action it is the vendor's own sign-up, not a third party's event (no event cap), while alone
# ("missed our webinar? the recording is up") it stays below the threshold.
OWN_OFFER_PHRASES: Final = (
    "our webinar", "our upcoming webinar", "our free webinar", "our next webinar",
    "our live webinar", "our course", "our courses", "our comprehensive course",
    "our expert-led course", "our exclusive course", "our online course", "our new course",
    "our training", "our remote training", "our bootcamp", "our masterclass", "our waitlist",
    "our free app", "our free e-book", "our free ebook", "our e-book", "our ebook",
    "our services",
)
# (round 12) A project praised in a bounty's or a contest's entry: "Good project 💥 @a @b @c
# #Token #BSC", "Nice project and I look forward to its growth @a @b @c #AI #bnb". With two
# handles tagged and two hashtags at least (friends tagged to enter) it is a promoted project and
# a call to action; alone ("great project by @x, code in the repo") it is a compliment.
PRAISE_PHRASES: Final = (
    "good project", "great project", "nice project", "best project", "excellent project",
    "amazing project", "awesome project", "beautiful project", "strong project",
    "exciting project", "reliable project", "promising project", "potential project",
    "fantastic project", "wonderful project", "brilliant project", "great prospects",
    "the project grows", "this project grows", "success of this project",
)
MIN_PRAISE_TAGS: Final = 2  # handles and hashtags a praised project's entry carries at least
# (round 22) A token, a coin or a crypto project sold as an investment by its upside. Markers
# (scanned), two kinds. A pitch's own words ("the next moonshot", "#gem", "tiny mc", "time to
# pump", "百倍币") flag with a token named in the text (a crypto word, a cashtag or a project's
# handle: see _token_subject), or with a second upside claim. Words a trader's opinion or the
# news also use ("super bullish", "to the moon", "sleeping giant", "return on investment",
# "will pump", "暴涨潜力") flag only beside a project's handle ("@x_erc", "@xcoin", "@xswap") or
# beside a pitch's own words. Alone they say nothing ("ChatGPT is the next big thing",
# "productivity to the moon", "crypto AI tokens saw huge gains").
TOKEN_PITCH_PHRASES: Final = (
    "next moonshot", "#gem", "#gems", "#lowcapgem", "#lowcapgems", "#altcoingem",
    "#cryptogem", "#cryptogems", "gem alert", "undervalued gem", "undervalued gems",
    "tiny mc", "low mc", "lowest mc", "tiny mcap", "tiny market cap",
    "pump your bags", "time to pump", "before it pumps", "before it moons",
    "get huge profit", "get huge profits",
    "百倍币", "千倍币", "十倍币", "百倍幣", "千倍幣", "十倍幣", "潜力币", "潛力幣",
    "千倍潜力", "千倍潛力", "下一个百倍", "下一個百倍", "撸大毛", "擼大毛", "带你撸毛", "帶你擼毛",
)  # fmt: skip
UPSIDE_PHRASES: Final = (
    "sleeping giant", "to the moon", "moon soon", "going to moon", "10x potential",
    "hidden gem", "undervalued", "under valued", "micro cap", "microcap",
    "trillion dollar market cap", "trillion market cap",
    "will pump", "about to pump", "ready to pump", "going to pump", "gonna pump",
    "super bullish", "bullish af", "mega bullish", "extremely bullish",
    "massive gains", "huge gains", "generational wealth", "massive wealth",
    "return on investment", "stake to earn", "stake and earn", "stake & earn",
    "best crypto to buy", "best coin to buy", "best token to buy", "best crypto of",
    "get in early", "getting in early", "get in now", "before it's too late", "before it's late",
    "have a look at this project", "take a look at this project", "look at this project",
    "check this project", "check out this project",
    "暴涨潜力", "暴漲潛力", "翻倍潜力", "翻倍潛力",
)  # fmt: skip
MIN_TOKEN_CLAIMS: Final = 2  # distinct claims that sell a token without naming it (round 22)
# (round 13) A reply bot's pitch: the reply opens, right after the handles, with the product's
# category, its name cut off ("@a @b AI chatbot for universities! #ChatGPT", "@a @b -in-class AI
# chatbot solution for …", "@a @b alternative to #ChatGPT. It has …"). Markers (scanned) and the
# openings they must start the reply's body with; a reply that asks ("@a what's the alternative
# to #ChatGPT?") or mentions one mid-sentence stays out.
REPLY_PITCH_CUES: Final = ("chatbot for", "solution for", "alternative to", "-in-class", "in class")
REPLY_PITCH_OPENINGS: Final = (
    "chatbot for", "chatbot solution for", "ai chatbot for", "ai chatbot solution for",
    "ai-chatbot for", "ai solution for", "ai-powered chatbot for", "ai-powered #chatbot for",
    "#chatbot for", "alternative to #chatgpt", "alternative ai-powered chatbot", "-in-class",
    "in class ai",
)  # fmt: skip
# (round 11) Where a phone number after one of these (or a contact word) is a seller's order
# line: "Call/WhatsApp 07xx xxx xxx", "📞: +91 …", "Contact Us:0345-…" (markers only).
PHONE_CUES: Final = ("call", "phone", "tel", "dm", "📞", "☎")
# The author's own paid link, disclosed ("(affiliate — it keeps the newsletter free)"): a strong
# offer that no warning word caps (round 6; "PSA: ... affiliate links inside").
OWN_LINK_PHRASES: Final = (
    "(affiliate", "affiliate links inside", "affiliate link inside", "they support the channel",
    "it supports the channel", "keeps the newsletter free", "at no extra cost to you",
    "at no cost to you", "i earn a commission", "i may earn a commission",
    # (round 7) "这是我的推广链接，通过它买年费我能拿点返佣"
    "我的推广链接", "我能拿点返佣", "我能拿返佣", "我会拿到返佣",
)
# A testimonial: the warning word is what the author used to think ("我以前也觉得AI赚钱都是割韭菜，
# 直到…想了解的私我"); with a call to action it is no warning (round 6).
TESTIMONIAL_PHRASES: Final = (
    "i used to think", "i didn't believe", "i was skeptical", "i was sceptical",
    "以前也觉得", "我以前觉得", "以前也以为", "我以前以为",
)
# Disclaimers ("not sponsored", "reminder that"): they cap promotional language like a warning,
# unless the author's own code or referral link is there ("not sponsored, but use my code").
DISCLAIMER_PHRASES: Final = (
    "reminder that", "not sponsored", "no affiliation", "not affiliated",
    # (round 12-zh) Weibo's verification request quotes the author's job title and asks friends
    # to repost it ("我正在申请微博认证，认证信息为“…公司总经理”。请@… 转发此条微博帮我确认身份")
    "申请微博认证", "申請微博認證",
)
# Commentary on a quotation ('"I made $47k ..." — sir, you made it selling the course'): next to
# reported speech these make the tweet mockery or a warning, and the quoted pitch stays quoted.
MOCKERY_PHRASES: Final = (
    "sir", "ma'am", "bro", "my guy", "buddy", "same guy", "folks", "you made", "translation:",
    "narrator:", "the pitch", "these are everywhere", "笑死", "又来了",
)
# A job post: a hiring phrase with a role or its terms. Its salary and "email in bio" are no
# offer and no call to action, unless a job scam's marks appear (a fee, "no experience needed",
# pay per hour or day, work from your phone, a messenger).
JOB_PHRASES: Final = (
    "hiring", "job post", "job opening", "open role", "open roles",
    "招聘", "诚聘", "在招", "正在招", "job ad", "job posting", "we're looking for a",
    "we are looking for a",
)
JOB_DETAILS: Final = (
    "equity", "salary", "salaries", "compensation", "visa", "engineer", "engineers", "scientist",
    "scientists", "researcher", "researchers", "hybrid", "onsite", "on-site", "full-time",
    "in person", "薪资", "年薪", "月薪", "工程师", "简历", "面议",
)
JOB_SCAM_PHRASES: Final = (
    "no experience", "fee", "fees", "pay for", "starter kit", "kit", "whatsapp", "telegram",
    "work from your phone", "work from home", "own hours", "earn", "/hr", "/day", "/week",
    "per hour", "per day", "per week", "兼职", "日结", "押金", "培训费", "在家", "手机就能",
)
# A first party announcing its own release ("Introducing X ... $0.40 / 1M tokens, docs: ..."):
# a launch verb with a developer marker, or two developer markers, make offers alone (prices,
# a free tier) organic news; a call to action, a deadline, a money promise, a promo code or a
# contact handle still make an ad.
LAUNCH_PHRASES: Final = (
    "introducing", "we're releasing", "we are releasing", "today we're", "today we are",
    "we just released", "we've released", "we released", "we just shipped", "open-sourced",
    "open sourced", "now available", "generally available", "now live", "is out", "is live",
    "正式发布", "发布", "上线了", "i'm launching", "we're launching", "launching today",
    "just launched", "正式上线", "finally launching", "we launched", "i launched",
    # a first party's change from a date (round 6: "50% off API pricing ... starting today")
    "starting today", "effective today", "effective immediately", "as of today", "即日起",
    "从今天起",
)
DEV_PHRASES: Final = (
    "api", "docs", "documentation", "weights", "open-weight", "open weights", "github", "paper",
    "license", "licensed", "apache", "changelog", "release notes", "model card", "benchmark",
    "benchmarks", "evals", "playground", "sdk", "repo", "notebook", "models", "tokens",
    "权重", "协议", "论文", "更新日志", "文档", "模型", "开源",
    "feedback", "bug reports", "反馈", "提意见", "意见",
)
# Talks, meetups and workshops: with a sign-up call and limited seats but nothing on offer, an
# event announcement stays organic (a price, a money promise or a contact handle still count).
EVENT_PHRASES: Final = (
    "meetup", "meet-up", "reading group", "symposium", "workshop", "lecture", "guest lecture",
    "public talk", "keynote", "seminar", "colloquium", "hackathon", "conference", "cfp",
    "call for papers", "phd positions", "internship", "沙龙", "讲座", "研讨会", "分享会",
    "黑客松", "学术报告", "招收", "博士生",
    # studies and hackathons (round 6): an interview study's pay, a hackathon's free entry
    "interview study", "minute interview", "running a study", "a study on", "ethics approval",
    "irb approval", "free entry", "food provided", "accepted team", "accepted teams",
    "compensated", "paid study", "user interview", "user interviews",
    "访谈研究", "访谈", "伦理审查", "酬劳", "问卷", "论坛", "学生证",
    # a study recruiting participants (round 8): "we're studying how developers use coding
    # agents ... 30 min for an interview ... $50 gift card for your time, IRB approved"
    "we're studying", "we are studying", "for an interview", "for your time",
    # a webinar or a livestream and the talk given there (round 9): with an offer ("the free
    # webinar ... register for the event") two markers are needed, as for every event
    "webinar", "livestream", "live stream", "the event", "this event", "speaking at",
    "in conversation with",
    # what an event or a study has, not a sale (round 5): two distinct markers make an event
    # frame in which fees, prizes and thank-you gift cards are organic too (see _promo_points)
    "tickets for the", "ticket prices", "student tickets", "early bird tickets",
    "early-bird tickets", "prizes", "in prizes",
    "prize pool", "summit", "user study", "research study", "study participants",
    "participants", "as thanks", "as a thank-you", "irb", "irb approved", "irb-approved",
    "volunteers", "registration", "registration fee", "free to join", "speakers",
    "注册费", "报名费", "投稿", "征稿", "峰会", "大会", "奖金", "奖池", "志愿者", "被试",
)
# Phrases that hold a cue word without its meaning ("of course" is no course): they hide it.
NEUTRAL_PHRASES: Final = (
    "of course", "in the course", "over the course", "course of", "coursework", "course work",
    # (round 9) a question, not a giveaway: "asked it how to win a game"
    "how to win a",
    # (round 12) a warning word as one hashtag of a trending-tag wall ("… | #RamCharan | #phishing
    # | …" under a course pitch): the hashtag hides the word; "phishing scams" still warns
    "#phishing",
    # (round 13-zh) a document share's "read the rest" ("…阅读全文请戳右边 http://…", Baidu Wenku's
    # share line) is no link to goods; a buyer's "卖家不包顺丰" is no shop's terms
    "阅读全文请戳", "閱讀全文請戳", "不包顺丰", "不包順豐",
    # (round 16-zh) the red-envelope templates' "一不小心又中奖了", "小心脏激动得扑通扑通" hold
    # no warning's "小心"
    "一不小心", "小心脏", "小心臟",
    # (round 16-zh) relatives in need ("需要的亲戚", "需要的亲人") are no seller's customers
    "需要的亲戚", "需要的亲人", "需要的親戚", "需要的親人",
    # (round 13) a user's own account, not one for sale ("my premium account got logged out")
    "my premium account", "your premium account", "a premium account", "the premium account",
    "his premium account", "her premium account", "our premium account",
    # (round 16) ChatGPT's own error message quoted ("… please contact us through our help
    # center"), no business's contact line
    "contact us through our help center", "contact us through the help center",
)
REASSURANCES: Final = (
    "not a scam", "no scam", "not scam", "no spam", "100% legit", "绝对靠谱", "不是骗子",
    "not a marketing trick", "not a marketing ploy",
)
AUTO_CLIENTS: Final = (
    "ifttt", "buffer", "dlvr.it", "hootsuite", "zapier", "socialbee", "socialpilot",
    "sprout social", "publer", "twittbot", "botize", "integromat", "sendible", "recurpost",
    "crowdfire", "make.com", "hypefury", "tweet hunter", "semrush", "zoho social", "socialdog",
    "socialflow", "revive social", "onlywire", "cloud campaign", "sprinklr", "jetpack",
    "later media", "latermedia", "n8n", "皮皮时光机", "未通过审核应用", "孔明社交管理",
)
AD_CLIENTS: Final = ("twitter for advertisers", "twitter ads", "x ads")
SHORTENERS: Final = (
    "bit.ly", "tinyurl.com", "t.ly", "goo.gl", "ow.ly", "is.gd", "buff.ly", "shorturl.at",
    "cutt.ly", "rebrand.ly", "tiny.cc", "rb.gy", "ift.tt", "dlvr.it", "s.id",
)
# Words after which a handle is a contact ("微信: abc123", "whatsapp +1 ..."): markers only.
CONTACT_WORDS: Final = (
    "微信", "vx", "v信", "wx", "weixin", "wechat", "薇信", "威信", "加v", "加 v", "加q", "加 q",
    "qq", "扣扣", "whatsapp", "telegram", "tg", "电话", "手机号", "联系方式", "t.me/", "v我",
    "电报", "热线", "来电", "contact", "致电",
)
# fmt: on

_Hit = tuple[str, int, bool]  # (family or "" for a marker, points, holds a contact word)
_LAUNCH_VERB: Final = 0  # (event markers are negative: -1, -2, ... one per phrase)
_MARKER_KINDS: Final = frozenset({"", "!", "-", "?", "~", "^", "*", "=", "<", ">", "$"})
_MODEL_VETOES: Final = frozenset({"warning", "launch", "job", "lone_price"})
_REASON_ORDER: Final = {reason: i for i, reason in enumerate(REASONS)}
_SHORTENER: Final[_Hit] = ("", 0, False)
_CONTACT: Final[_Hit] = ("", 0, True)
_WARNING: Final[_Hit] = ("!", 0, False)
_NEUTRAL: Final[_Hit] = ("-", 0, False)
_MOCKERY: Final[_Hit] = ("?", 0, False)
_DISCLAIMER: Final[_Hit] = ("~", 0, False)
_TESTIMONIAL: Final[_Hit] = ("^", 0, False)
_SOFT_CTA: Final[_Hit] = ("*", 0, False)
_SHARE: Final[_Hit] = ("=", 0, False)
_OWN_LINK: Final[_Hit] = ("+", STRONG, False)  # a strong offer that lifts a warning's cap
_OWN_OFFER: Final[_Hit] = ("&", WEAK, False)  # a weak offer that lifts an event's cap (round 11)
_PHONE_CUE: Final[_Hit] = ("%", 0, False)
_PRAISE: Final[_Hit] = ("<", 0, False)  # a project praised (round 12; see PRAISE_PHRASES)
_REPLY_PITCH: Final[_Hit] = (">", 0, False)  # (round 13; see REPLY_PITCH_CUES)
# (round 22) "$" marks a token's pitch or upside (TOKEN_PITCH_PHRASES, UPSIDE_PHRASES); its
# points field holds the phrase's index (negative for an upside), so that claims can be counted
# Reported speech: a quotation long enough to be an utterance (a one-word "comment 'GUIDE'"
# or 「想要」 is a call to action and stays). Promotional language inside one is someone else's.
_TAGS_AND_LINKS_RE = re.compile(r"https?://\S+|[#@$]\w+")
_WORD_RE = re.compile(r"[a-z]{2,}|[\u3400-\u9fff]{2}")  # a word, or two CJK characters
MIN_WORDS_AROUND_QUOTE = 4
# In single quotes only a longer span, at word edges (apostrophes: "don't", "users' data";
# "comment 'SEND ME THE PROMPTS'" is a call to action).
# A list of quoted phrases, however short ("“普通人的最后一次机会”、“评论区扣 1 发你资料”",
# '"passive income", "quit your 9-5"'), is reported speech too: slogans listed to mock them.
# Every branch opens with its quote (a look-behind comes after it): the regex engine then skips
# to the next quote in C instead of trying eight branches at every character (3x faster).
_QUOTED_RE = re.compile(
    r'“[^”\n]{2,40}”(?:\s*[、，,;；/]\s*“[^”\n]{2,40}”)+|"[^"\n]{2,60}"(?:\s*[,、;/]\s*"[^"\n]{2,60}")+'
    r'|"[^"]{12,300}"|“[^”]{12,300}”|「[^」]{8,300}」|『[^』]{8,300}』'
    r"|'(?<!\w')(?:[^'\n]|(?<=\w)'(?=\w)){21,300}'(?!\w)|‘[^’]{21,300}’"
)
# On normalized text: NFKC has turned full-width ＃＄＠：into #$@:, and everything is casefolded.
_RETWEET_PREFIX = re.compile(r"rt @(\w{1,15}): ?")
_URL_RE = re.compile(r"https?://\S+")
# (the sigil first, the look-behind after it: the engine jumps from sigil to sigil in C)
_HASHTAG_RE = re.compile(r"#(?<![\w&#]#)(\w*[^\W\d]\w*)")
_CASHTAG_RE = re.compile(r"\$(?<![\w$]\$)([a-z]{1,6}(?:[._][a-z]{1,2})?)(?!\w)")
_MENTION_RE = re.compile(r"@(?<![\w@]@)(\w{1,15})")
# A promo code: "use code SAVE20", "promo code: AIWEEK", "优惠码 AI50" (case kept: codes are caps).
# Found from the word "code"/"码" outwards: a regex starting with 15 alternatives is slow.
_CODE_WORD = re.compile(r"(?i:code)|码")
_CODE_PREFIX = re.compile(
    r"(?i:promo|discount|coupon|use|using|my|with|apply|enter|referral|invite|redeem"
    r"|优惠|推广|邀请|折扣) ?$"
)
# A bare code to enter at checkout (round 6): "FRIEND20 at checkout" (capitals and a digit).
_CHECKOUT_CODE_RE = re.compile(
    r"\b(?=[A-Z0-9]*[A-Z])(?=[A-Z0-9]*\d)[A-Z0-9]{4,15}\b (?i:at|during|on) checkout"
)
# (a bare "code" takes letters and then the percent: "EXAM20", "SAVE30")
_BARE_CODE_TAIL = re.compile(r"\s?[:：]?\s?[A-Z]{2,12}\d{2,3}\b")
_CODE_TAIL = re.compile(r"\s*[:：]?\s*(?=[A-Z0-9_-]*[A-Z])[A-Z0-9][A-Z0-9_-]{2,15}\b")
# Money promises: "earn $300 a week", "$500/day", "turn $100 into" ("$20 per month" is a price).
_MONEY_RE = re.compile(
    r"(?:earn|earning|earned|make|making|made|turn|turned|get paid|did|doing|clear|clearing"
    r"|pull|pulling)"
    r"\s+(?:up to\s+|over\s+|(?:my|your|their) first\s+)?\$\d"
    r"|\$\d[\d,.]*k?\+?\s*(?:/|a|per|every)\s*day\b"
    r"|\bfrom \$\d[\d,.]*k? to \$\d"
)
# Income and pump claims without a "$": "赚了1.7万", "before the 40x".
# (Two patterns, each behind its own cheap test: the Chinese one opens with a character the
# engine skips to in C; the English one, opening with "\b", is tried at every character.)
_INCOME_EN_RE = re.compile(
    r"\b(?:the|another|next|going to|headed to) \d{2,4}x\b"
    # (round 12) a pump's running gain: "launched at $55k marketcap ... now at 4x"
    r"|\bnow at \d{1,3}x\b"
)
_INCOME_ZH_RE = re.compile(r"赚了\s?\d|翻了\s?\d+\s?倍|从\s?0\s?(?:做|干|涨|赚)到")
# Price news: a change of a price ("cuts prices", "goes from $8 to $10", "降价", "msrp").
_PRICE_NEWS_RE = re.compile(
    r"\b(?:cuts?|cutting|slash(?:es|ed)?|drop(?:s|ped)?|raises?|raised|hikes?|hiked|lowers?"
    r"|lowered|increases?|increased|reduces?|reduced|price cuts?|price war|price hikes?"
    r"|go(?:es)? down|went down|going down"
    r"|up from|down from|goes from|went from|msrp|i paid|paid \$|paid plans?|new pricing"
    r"|is now \$|now costs|will cost|costs? \$|priced at"
    # (round 9) a price or an amount reported, not offered: a company's new plan, an opinion
    # on a price, a salary, a cost, a revenue ("launches ChatGPT Plus at $20 per month", "I
    # would pay $10/mo", "a $183k salary", "the cost of running it: $100k per day")
    r"|launch(?:es|ed|ing)|unveil(?:s|ed|ing)?|announc(?:es|ed|ing)|introduc(?:es|ed)|rolls? out"
    r"|rolled out"
    r"|reveal(?:s|ed)|pricing plans?|subscription fee|would (?:have )?pay|would have paid"
    r"|i['’]d (?:pay|subscribe)|would (?:you )?(?:pay|subscribe)|will you (?:pay|subscribe)"
    r"|too (?:much|expensive|pricey)|salary|salaries|cost of|revenue|valuation"
    r"|invest(?:s|ed|ment)?|lost|loses|losing)\b"
    r"|降价|涨价|下调|上调|价格战|调价|调整价格|降到|降至|低至.{0,12}比"
)
# (no price starts at $0: "from $0 to $18k/mo" is an income claim)
_FROM_TO_RE = re.compile(r"\bfrom \$(?!0\b)\d[\d,.]*k? to \$\d[\d,.]*k?")
# "$10 billion" is an amount in the news, not a price.
_BIG_AMOUNT_RE = re.compile(r"\$\d[\d,.]*\s?(?:billions?|millions?|trillions?|bn|bln|b|m|mn)\b")
# Engagement-bait funnels: an action, then what the author sends back ("comment GUIDE and I'll
# DM you", "retweet this and I'll send", "like + comment SHEET and it's yours").
_FUNNEL_RE = re.compile(
    r"\b(?:comment|reply|retweet|rt|like|follow|repost|quote[- ]tweet|dm me|drop)\b[^.?!\n]{0,60}?"
    r"(?:\b(?:i|we)['’]ll (?:personally |also |just )?(?:dm|send|share|message|give)"
    r"|\band it['’]s yours"
    r"|\bso i can (?:dm|send))"
)
# A keyword to comment or reply with, in capitals and unquoted: "reply GROW", "comment SHEET".
# The keyword is followed by what happens next ("and", "below", "to get") or ends a sentence;
# "type AI software", "reply GPT-4" are no such keyword.
_KEYWORD_CTA_RE = re.compile(
    r"\b(?:[Cc]omment|[Rr]eply|DM|dm|Dm)\s+(?:(?i:me|us|with)\s+)?(?!(?:GPT|LLM|API)\b)"
    r"[A-Z][A-Z0-9]{2,11}\b(?![-\d])\s*(?:[.!,)+&]|(?i:and|or|below|to|for|if)\b|$)"
)
# A keyword to comment with, in Chinese quotes: 评论「想要」, 扣“1”, 回复「资料」.
_ZH_KEYWORD_CTA_RE = re.compile(r'(?:评论|回复|扣|留言|私信|暗号)\s*[「“"『][^」”"』]{1,8}[」”"』]')
# A verb of taking up an offer with its object: "start a free trial", "grab a demo slot",
# "book your spot", "claim your seat", "join the waitlist".
_VERB_OBJECT_RE = re.compile(
    r"\b(?:start|grab|book|claim|reserve|secure|join|get|schedule)\s+"
    r"(?:a|an|your|my|the|our|one|them)?\s*(?P<free>free\s+)?"
    r"(?:(?:\d+[- ]?min(?:ute)?|quick|strategy|discovery|intro|audit|consulting)\s+){0,2}"
    r"(?:free trial|trial|spot|slot|seat|demo slot|demo|copy|discount|call|place|them here"
    r"|waitlist|free access|early access|audit|consultation|session)s?\b"
    r"|\bjoin (?:over )?\d[\d,.]*k?\+? (?:other )?(?:builders|founders|creators|members|people"
    r"|marketers|traders|students|subscribers|readers)\b"
    r"|\b(?:join|enroll in|grab|get) (?:our|my) (?:[a-z-]+ ){0,2}(?:course|masterclass|webinar"
    r"|bootcamp|cohort|academy|program|programme|mastermind)\b"
)
# Scarcity: "only 200 codes left", "first 100 people", "前50名", "48 hours only".
_ONLY_LEFT_RE = re.compile(r"\bonly \d+[a-z]*(?: \w+)? (?:left|spots?|seats?|codes?|slots?)\b")
_FIRST_N_RE = re.compile(
    r"\bfirst \d[\d,]* (?:people|wallets|users|buyers|subscribers|followers|signups|companies|names"
    r"|customers|clients|students|members|replies|commenters)\b"
)
# "5 slots this week", "10 spots in my mentorship", "taking on 5 more clients", "free for the
# next 24 hours", "closes in 48h".
_SLOTS_RE = re.compile(
    r"\b\d+ (?:more |[a-z]+ )?(?:spots|slots)\b|\btaking on \d+ (?:more|new)\b"
    r"|\bfor the next \d+ (?:hours|hrs|days)\b|\b(?:closes|ends|expires) in \d"
    r"|\bfor \d+ (?:[a-z]+ )?(?:businesses|clients|people|founders|creators|brands|companies"
    r"|startups|teams) this (?:week|month)\b"
)
# Cue words of the patterns above, by kind (bits), found in one regex pass (:func:`_cues`).
_FUNNEL, _KEYWORD, _VERB, _SLOTS, _QUOTE, _ZH_KEYWORD = 1, 2, 4, 8, 16, 32
_SERVICE, _COHORT, _SOLD, _ON_US, _EVENT_CUE = 64, 128, 256, 512, 1024
_AUDIENCE, _HOOK = 4096, 8192
_SELLER_LINE = 16384  # (round 17) "get your": a seller's headline in title case (raw text)
# (round 21) a prize word ("giveaway", "airdrop", "win", "抽", "开奖"): a giveaway's task list
# may follow (see _task_list)
_GIVEAWAY_CUE = 32768
# Every substring that :func:`_promo_points` tests before running a pattern (codes, amounts,
# income claims, scarcity, prices, discounts; "0x".."9x" stand for the "10x" of an income claim).
# A text with no phrase and no cue at all has no promotional language: :meth:`_text_facts`
# returns at once for it (about 60% of real tweets), with what the full path would find.
_PATTERN = 2048
_PATTERN_CUES: Final = (
    *("code", "码", "$", "赚了", "翻了", "从", "only", "first ", "前", "剩", "元", "块钱", "折"),
    *("tonight", "midnight", "checkout"),
    *("ksh", "ngn", "₦", "₹", "/="),  # (round 11) a price in a local currency
    *(f"{digit}x" for digit in "0123456789"),
    # (round 17-zh) a price after the money emoticon or a listing's price label, a link after
    # a colon and an emoticon (see _zh_listing_price, _emoticon_link)
    *("[钱]", "[錢]", "]价格:", "]價格:", "]http", "] http"),
    # (round 18-zh) a listing's title: a year and a season's new items (see _season_listing)
    "新款",
    # (round 19-zh) a link's label after an emoticon (see _labelled_link)
    *("址:http", "址 :http", "接:http", "接 :http"),
)
_CUE_KINDS: Final[dict[int, tuple[str, ...]]] = {
    _FUNNEL: ("'ll", "’ll", "yours", "so i can"),
    _KEYWORD: ("comment", "reply", "dm", "type"),
    _VERB: (
        "start",
        "grab",
        "book",
        "claim",
        "reserve",
        "secure",
        "join",
        "get",
        "schedule",
        "enroll",
    ),
    _SLOTS: (
        "spots",
        "slots",
        "taking on",
        "for the next",
        "closes in",
        "ends in",
        "expires in",
        "this week",
        "this month",
    ),
    _QUOTE: ('"', "“", "「", "『", "'", "‘"),
    _ZH_KEYWORD: ("评论", "回复", "扣", "留言", "私信", "暗号"),
    _SERVICE: ("i build", "we build", "i set up", "we set up", "i help", "'ll", "’ll"),
    _COHORT: ("cohort", "batch", "intake", "期"),
    _SOLD: ("sold", "卖了", "已售", "售出"),
    _AUDIENCE: (
        "readers",
        "subscribers",
        "i send",
        "read it",
        "read before",
        "read every",
        "read each",
    ),
    _HOOK: ("so you don't have to", "so you don’t have to"),
    _ON_US: ("on us",),
    _SELLER_LINE: ("get your",),
    _GIVEAWAY_CUE: (
        *("giveaway", "airdrop", "giving away", "win", "prize"),
        *("抽", "开奖", "奖品", "開獎", "獎品"),
    ),
    _EVENT_CUE: tuple(normalize_text(phrase) for phrase in EVENT_PHRASES),
    _PATTERN: _PATTERN_CUES,
}
_CUE_WORDS: Final[dict[str, int]] = {}
for _kind, _words in _CUE_KINDS.items():
    for _word in _words:  # (a word can cue several kinds: "'ll")
        _CUE_WORDS[_word] = _CUE_WORDS.get(_word, 0) | _kind
# Services offered in the first person (round 5): "I build them in 5 days", "we set up AI
# agents that close 60% of them within two weeks", "I help burned-out engineers move into ML",
# "I'll ghostwrite your LinkedIn".
_SERVICE_RE = re.compile(
    r"\b(?:i|we) (?:build|set up)\b[^.!?\n]{0,50}?\b(?:in|within) (?:\d+|a few|two|three|four)"
    r" (?:days|weeks|hours)\b"
    r"|\bi help [a-z-]+(?: [a-z-]+){0,4} (?:move|land|get|grow|build|launch|scale|automate|cut"
    r"|save|turn|go|switch|find|make|hit|double|replace)\b"
    r"|\b(?:i|we)['’]ll (?:build|write|ghostwrite|set up|design|automate|run|manage|edit)"
    r" (?:your|you a|you an)\b"
)
# The next cohort of a paid programme: "Cohort 6 starts 3 June", "the spring cohort closes".
_COHORT_RE = re.compile(
    r"\b(?:cohort|batch|intake)\s*#?\d*\s+(?:starts|opens|begins|kicks off|closes?|is open"
    r"|is filling|fills)\b"
    r"|\b(?:next|spring|fall|autumn|summer|winter|new) (?:cohort|batch|intake)\b"
    # (round 9) "第 8 期开始招生", "第3期开班": the same in Chinese
    r"|第\s?\d+\s?期\s?(?:开始招生|招生|开班|开营|报名)"
)
# Sales as a claim: "sold 2,000 copies", "已经卖了2000多份".
_SOLD_RE = re.compile(
    r"\bsold (?:over |more than )?\d[\d,.]*k?\+? (?:copies|units|licenses|seats|spots|templates"
    r"|courses|subscriptions|packs)\b|(?:卖了|已售|售出)\s?\d"
)
# An audience as the selling point (round 6): "38,000 readers get it", "I send 40,000 operators".
_AUDIENCE_RE = re.compile(
    r"\b\d[\d,.]*k?\+? (?:[a-z]+ )?(?:readers|subscribers) (?:get|read|receive|open)\b"
    r"|\bi send (?:over |more than )?\d[\d,.]*k?\+? "
    # (round 8) "41,000 engineers read it", "200k operators read before their first coffee",
    # a bare count ending a clause: "14k readers."
    r"|\b\d[\d,.]*k?\+? [a-z]+ read (?:it|before|every|each)\b"
    r"|\b\d[\d,.]*k\+? (?:readers|subscribers)(?:[.!;]|$)"
)
# Free units to start (round 8): "the first 10 hours are free" (cue "first ").
_FREE_FIRST_RE = re.compile(r"\bfirst \d[\d,.]*[km]? (?:[a-z]+ ){1,2}(?:are|is) free\b")
# A spend story as the hook (round 8): "I spent $40k testing AI sales tools so you don't have
# to" (cue "so you don't have to").
_SPEND_HOOK_RE = re.compile(
    r"\bi (?:spent|burned|blew|dropped|wasted) (?:over |almost |nearly )?\$\d[\d,.]*k?\b"
    r"[^.!?\n]{0,80}?so you don['’]t have to"
)
# Resale below the official price in Chinese (round 8): "价格只要官方三折", "官方价5折" (cue "折").
_OFFICIAL_DISCOUNT_RE = re.compile(r"官方(?:价格?)?的?\s?[\d一二三四五六七八九](?:\.\d)?\s?折")
# Something given away by the seller: "first 3 headshots on us", "setup is on us".
_ON_US_RE = re.compile(
    r"\b(?:first \d[\d,.]*[km]? [a-z]+|setup|set-up|shipping|delivery|onboarding"
    r"|(?:the |your )?first month)"
    r"(?: are| is|'s|’s)? on us\b"
)
# An absurd chain of the same buzzword (round 7): "my AI agent ... for an AI course about
# building AI agents, taught by an AI influencer, paid for with an AI token" mocks the grift.
# Checked only on texts with promotional language and four "ai " at least.
_AI_CHAIN_RE = re.compile(r"\b(?:about|by|with|for|from|to|of) (?:an? |my |your )?(?:\w+ )?ai\b")
MIN_AI_CHAIN = 4
_TOP_N_RE = re.compile(r"前\s?\d+\s?(?:名|份)")
_LEFT_N_RE = re.compile(r"(?:还剩|仅剩|只剩)\s?\d+\s?个?(?:位置|名额|位|席|车位|坑)")
_HOURS_ONLY_RE = re.compile(r"\d\s?(?:h|hours?|hrs?) only\b")
# "comment 'GPT' below", "reply \"SYSTEM\"", "DM 'BOT'": engagement bait for a lead magnet.
_QUOTED_CTA_RE = re.compile(
    r"\b(?:comment|reply|type|dm)\s+(?:with\s+|me\s+|us\s+)?[\"'‘“][\w ]{1,20}[\"'’”]"
)
_QUOTES = ("'", '"', "‘", "“")
# A price ("$29", "99 元", "29.9元") and a discount ("三折", "5 折": x0% of the price) are found
# from "$" / "元" / "折" backwards.
_DIGITS_ZH = frozenset("0123456789一二三四五六七八九")
_ASCII_DIGITS = frozenset("0123456789")
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_CONTACT_RE = re.compile(
    r"(?:微信号?|vx|v信|v我|wx|weixin|wechat|薇信|威信|加 ?v|加 ?q|qq|扣扣|whatsapp|telegram|tg"
    r"|电话|手机号?|联系方式|电报|热线|来电咨询|来电|致电)(?:\s*[:：]\s*[a-z@][\w-]{4,}|\s*[:：]?\s*"
    r"(?:\+?\d[\d -]{6,}\d|\d{5,}|[a-z][a-z-]*[\d_][\w-]{2,}|@\w{4,}))"
    r"|t\.me/\w{3,}"
    r"|\bcontact(?: us| me)?(?: on| via| at)?:?\s+@\w{4,}"
    r"|(?<!\d)1[3-9]\d{9}(?!\d)"
)
# (round 11) A price in a local currency: "Ksh 4,500", "₦83,000", "NGN 5000", "₹89", "3200/=" (a
# cue of _LOCAL_CURRENCY first; "kes" would be a cue in "likes" and "makes").
_LOCAL_CURRENCY: Final = ("ksh", "ngn", "₦", "₹", "/=")
_LOCAL_PRICE_RE = re.compile(r"\b(?:kshs?|ngn)\.? ?\d|[₦₹] ?\d|\d ?/=")
# (round 11) A phone number (nine digits or more) after a phone cue or a contact word: "call
# 0704 258 105", "call/whatsapp: 0100100105", "📞📩0710625165", "contact us though 0718225059".
_PHONE_RE = re.compile(
    r"(?:\bcall|\bdm\b|\bphone|\btel\b|📞|☎|whatsapp|contact)[^\d\n]{0,20}?"
    r"(?<!\d)\+?\d(?:[ -]?\d){8,14}(?!\d)"
)
MIN_PHONE_DIGITS: Final = 9  # (round 13) the fewest digits _PHONE_RE can match
MIN_TAGGED: Final = 3  # (round 11) handles tagged in a giveaway's or an airdrop's entry
_SECONDS_PER_DAY = 86_400.0
# Where a link leads (round 10), from the tweet's expanded ``urls`` entities (never the text's
# t.co): a storefront or a course platform's checkout sells, whoever links it; an app store or
# an extension store only adds to other promotional language (a lab's app launch links there
# too). Host suffixes, matched at a dot; a course platform counts only with a coupon or a
# share code in the link (a course page alone is also a learner's).
STORE_HOSTS: Final = (
    "gumroad.com", "gum.co", "payhip.com", "lemonsqueezy.com", "teachable.com", "thinkific.com",
    "podia.com", "mykajabi.com", "stan.store", "appsumo.com", "sellfy.com", "sellix.io",
)  # fmt: skip
COURSE_HOSTS: Final = ("udemy.com", "skillshare.com", "domestika.org")
COURSE_LINK_MARKS: Final = ("couponcode=", "referralcode=", "/share/", "ranmid=", "via=")
APP_STORE_LINKS: Final = (
    "apps.apple.com/", "play.google.com/store/apps", "chrome.google.com/webstore",
    "chromewebstore.google.com/", "microsoftedge.microsoft.com/addons",
)  # fmt: skip


def _phrase_table() -> dict[str, _Hit]:
    """normalized phrase → (family, points, holds a contact word); markers for shortener links
    and contact words (a phrase such as "加微信" hides the "微信" inside it, so it carries the
    contact flag itself)."""
    contact_words = [normalize_text(word) for word in CONTACT_WORDS]
    table: dict[str, _Hit] = {}
    for domain in SHORTENERS:
        table[f"{domain}/"] = _SHORTENER
    for word in contact_words:
        table[word] = _CONTACT
    for phrase in WARNING_PHRASES:
        table[normalize_text(phrase)] = _WARNING
    for phrase in DISCLAIMER_PHRASES:
        table[normalize_text(phrase)] = _DISCLAIMER
    for phrase in REASSURANCES:
        table[normalize_text(phrase)] = ("offer", WEAK, False)
    for phrase in NEUTRAL_PHRASES:
        table[normalize_text(phrase)] = _NEUTRAL
    for phrase in MOCKERY_PHRASES:
        table.setdefault(normalize_text(phrase), _MOCKERY)
    for phrase in TESTIMONIAL_PHRASES:
        table[normalize_text(phrase)] = _TESTIMONIAL
    for phrase in OWN_LINK_PHRASES:
        table[normalize_text(phrase)] = _OWN_LINK
    for phrase in SOFT_CTA_PHRASES:
        table[normalize_text(phrase)] = _SOFT_CTA
    for phrase in SHARE_PHRASES:
        table.setdefault(normalize_text(phrase), _SHARE)
    for phrase in OWN_OFFER_PHRASES:
        table[normalize_text(phrase)] = _OWN_OFFER
    for phrase in PHONE_CUES:
        table.setdefault(normalize_text(phrase), _PHONE_CUE)
    for phrase in PRAISE_PHRASES:
        table.setdefault(normalize_text(phrase), _PRAISE)
    for phrase in REPLY_PITCH_CUES:
        table.setdefault(normalize_text(phrase), _REPLY_PITCH)
    # (round 22) a pitch's words by index from 1, an upside's by minus their index
    for index, phrase in enumerate(TOKEN_PITCH_PHRASES, start=1):
        table.setdefault(normalize_text(phrase), ("$", index, False))
    for index, phrase in enumerate(UPSIDE_PHRASES, start=1):
        table.setdefault(normalize_text(phrase), ("$", -index, False))
    for weight, families in ((EMOJI, EMOJI_CUES), (WEAK, WEAK_PHRASES), (STRONG, STRONG_PHRASES)):
        for family, phrases in families.items():
            for phrase in phrases:
                norm = normalize_text(phrase)
                table[norm] = (family, weight, any(word in norm for word in contact_words))
    return table


class RuleResult:
    """What the rules found: ``points`` (no campaign), ``reasons`` (in :data:`REASONS` order),
    ``signals`` for the model (:mod:`streams.ad_features`), and the normalized ``text`` judged
    (a retweet's "rt @user:" prefix removed). Read-only by convention.

    This and the two classes below are plain classes, not dataclasses: one of each is made per
    tweet, and compiled (:mod:`streams.native`) a frozen dataclass takes 1.3 µs to build, this
    0.2 µs (0.8 and 0.3 µs in pure Python)."""

    def __init__(
        self, points: int, reasons: tuple[str, ...], signals: tuple[str, ...], text: str
    ) -> None:
        self.points = points
        self.reasons = reasons
        self.signals = signals
        self.text = text

    def __repr__(self) -> str:
        return (
            f"RuleResult(points={self.points!r}, reasons={self.reasons!r}, "
            f"signals={self.signals!r}, text={self.text!r})"
        )


class AdClassifier:
    """Scores tweets for advertising/spam.

    Without a ``detector`` it is pure, stateless and thread-safe. With a
    :class:`~streams.campaigns.CampaignDetector` it feeds the detector every tweet that a
    campaign hit could turn into an ad (its other signals score at least ``threshold`` minus
    the campaign weight; the ~90% of tweets with no signal at all never could, and skip the
    fingerprint) and adds ``campaign`` to the verdicts of the hits; it is then stateful: use
    one per agent, and classify each tweet once (deduplicate first).
    """

    def __init__(
        self,
        threshold: float = 0.6,
        detector: CampaignDetector | None = None,
        *,
        use_model: bool = True,
        model: AdModel | None = None,
    ) -> None:
        if not 0 < threshold <= 1:
            msg = f"ad threshold must be in (0, 1]; got {threshold!r}"
            raise ValueError(msg)
        self.threshold = threshold
        self.detector = detector
        self.model = (model or default_model()) if use_model else None
        self._campaign_gate = round(threshold * 100) - WEIGHTS["campaign"]
        self._scanner = _Scanner(_phrase_table())
        self._launch = PhraseMatcher(_launch_table())
        self._model_cache: dict[tuple[str, tuple[str, ...]], float] = {}
        self._text_cache: dict[str, _TextFacts] = {}

    @classmethod
    def from_settings(cls, settings: Settings) -> AdClassifier:
        """``TWEETPULSE_AD_THRESHOLD``, with a fresh campaign detector unless
        ``TWEETPULSE_CAMPAIGN_DETECTION`` is off."""
        return cls(settings.ad_threshold, detector=CampaignDetector.from_settings(settings))

    def classify(self, tweet: Tweet, campaign: CampaignHit | None = None) -> AdVerdict:
        """Score ``tweet``; ``reasons`` lists the signals that fired, in :data:`REASONS` order.

        ``campaign`` is a hit from a detector run by the caller; when it is None and the
        classifier has its own detector, that detector decides (see the class docstring).
        """
        rules = self.rules(tweet)
        points = rules.points
        reasons = list(rules.reasons)
        if campaign is None and self.detector is not None and points >= self._campaign_gate:
            campaign = self.detector.observe(tweet)
        if campaign is not None:
            points += WEIGHTS["campaign"]
            reasons.append("campaign")
        score = min(points, 100) / 100
        if self.model is not None and score < self.threshold and self.model_gate(rules):
            model_score = self._model_score(rules, tweet.text)
            if model_score >= self.threshold:
                score = model_score
                reasons.append("model")
        return _verdict(score, score >= self.threshold, tuple(reasons))

    def rules(self, tweet: Tweet) -> RuleResult:
        """What the rules find in ``tweet`` (no campaign, no model): points, reasons, and the
        signals the model sees."""
        facts = self._text_cache.get(tweet.text)
        if facts is None:
            if len(self._text_cache) >= TEXT_CACHE_SIZE:
                self._text_cache.clear()
            facts = self._text_cache[tweet.text] = self._text_facts(tweet.text)
        text, retweeted, found = facts.text, facts.retweeted, facts.promo
        promo = points = found.points
        reasons = list(facts.reasons)
        if tweet.urls:  # (round 10) where the links lead: no regex, no text
            store = _store_points(tweet.urls, promo)
            if store:
                promo += store
                points += store
                if not reasons or reasons[0] != "promo_phrase":
                    reasons.insert(0, "promo_phrase")
        signals = list(facts.signals)
        shortener = found.shortener
        if facts.contact:
            points += WEIGHTS["contact"]
        if _count_cashtags(tweet, text) >= MIN_CASHTAGS:
            points += WEIGHTS["cashtag_stuffing"]
            reasons.append("cashtag_stuffing")
        if _count_hashtags(tweet, text) >= MIN_HASHTAGS:
            points += WEIGHTS["hashtag_stuffing"]
            reasons.append("hashtag_stuffing")
        if _count_mentions(tweet, text, retweeted) >= MIN_MENTIONS:
            points += WEIGHTS["mention_stuffing"]
            reasons.append("mention_stuffing")
        if _count_urls(tweet, text) >= MIN_URLS or (shortener and promo):
            points += WEIGHTS["url_density"]
            reasons.append("url_density")
        if shortener:
            signals.append("shortener")
        # The client and the account of a retweet are the retweeter's, not the spread text's.
        client = "" if retweeted else _client_kind(tweet.source)
        if not retweeted and _thin_or_hyperactive(tweet):
            points += WEIGHTS["account_signals"]
            reasons.append("account_signals")
        signals += [r for r in reasons if r != "promo_phrase"]
        # Scheduling tools are used by real organizations too: an auto-posting client only
        # adds to other evidence, and the model does not see it.
        if client == "ad_client" or (client and points):
            points += WEIGHTS[client]
            reasons.append(client)
            if client == "ad_client":
                signals.append(client)
            reasons.sort(key=_REASON_ORDER.__getitem__)
        # (round 9) a pointing emoji alone ("read more 👇") or promotional language the rules
        # framed as a launch, an event, a self-share, a job post or a warning, or a price
        # alone, is no evidence
        framed = found.launch or found.job or found.warning or found.lone_price
        evidence = promo > EMOJI and not framed
        if not (evidence or facts.contact or client == "ad_client" or "account_signals" in reasons):
            points = min(points, MAX_FORM_ONLY)
        return RuleResult(points, tuple(reasons), tuple(signals), text)

    def _text_facts(self, raw_text: str) -> _TextFacts:
        """What the text alone says (cached per text by :meth:`rules`: retweets repeat)."""
        text = normalize_text(raw_text)  # shared (cached) with the tagger
        retweeted = ""
        if text.startswith("rt @"):
            prefix = _RETWEET_PREFIX.match(text)
            if prefix:
                retweeted = prefix.group(1)
                text = text[prefix.end() :]
        reasons: list[str] = []
        signals: list[str] = []
        quoted = ""
        hits, cues = self._scanner.scan(text)  # one pass: phrases and pattern cue words
        if not hits and not cues:  # nothing promotional can be found (see _PATTERN_CUES)
            return _TextFacts(text, retweeted, _Promo(), False, (), ())
        if cues & _QUOTE:
            text, quoted = _unquote(text)
            if quoted:  # the phrases outside the quotations
                hits = self._scanner.scan(text)[0]
        # (the raw text, for case-sensitive codes and keywords, loses its quotations too)
        raw = _QUOTED_RE.sub(" ", raw_text) if quoted else raw_text
        found = _promo_points(hits, raw, text, cues, self._launch, quoted=bool(quoted))
        if found.points:
            reasons.append("promo_phrase")
            signals += [f"{family}{weight}" for family, weight in found.best.items()]
            signals.append(f"promo{min(found.points, 60)}")
        if (
            quoted
            and (found.points or found.contact)  # (only the model reads it)
            and any(hit[0] not in _MARKER_KINDS for hit in self._scanner.scan(quoted)[0])
        ):
            signals.append("quoted")  # promotional language inside a quotation: not counted
        if found.warning:
            signals.append("warning")
        if found.launch:
            signals.append("launch")
        if found.job:
            signals.append("job")
        if found.lone_price:
            signals.append("lone_price")
        contact = found.phone or (found.contact and _CONTACT_RE.search(text) is not None)
        if contact:
            reasons.append("contact")
        return _TextFacts(text, retweeted, found, contact, tuple(reasons), tuple(signals))

    @staticmethod
    def model_gate(rules: RuleResult) -> bool:
        """Whether the model is consulted: only on promotional language or a contact handle
        the rules found (too weak alone). The model weighs the wording around that evidence;
        it never flags a tweet without any (real organic AI tweets are full of links,
        hashtags and launch wording that our fixtures cannot cover), and ~85% of tweets
        skip it."""
        if "contact" not in rules.reasons and (
            "promo_phrase" not in rules.reasons or "promo15" in rules.signals
        ):
            return False  # (a pointing emoji alone is no promotional evidence: "thread 👇")
        # a scam warning, reported speech, a disclaimer, a first-party launch, an event, the
        # author's own post (all "launch"), a job post: the rules have already judged the
        # promotional wording, and the model would misread it; a price alone (round 9) is
        # news or an opinion on real tweets as often as a sale
        return not any(s in _MODEL_VETOES for s in rules.signals)

    def _model_score(self, rules: RuleResult, raw: str) -> float:
        """The model's score (see :meth:`AdModel.score`), cached per (text, signals)."""
        assert self.model is not None
        key = (raw, rules.signals)
        cached = self._model_cache.get(key)
        if cached is None:
            if len(self._model_cache) >= MODEL_CACHE_SIZE:
                self._model_cache.clear()
            probability = self.model.probability_of(rules.text, raw, rules.signals)
            # in whole points, like the rules' scores (and so few distinct verdicts exist)
            cached = math.floor(self.model.score(probability) * 100) / 100
            self._model_cache[key] = cached
        return cached


class _TextFacts:
    """What the rules find in a text, whoever posted it (:meth:`AdClassifier._text_facts`;
    cached per text, read-only)."""

    def __init__(
        self,
        text: str,  # normalized, without a retweet prefix and quotations
        retweeted: str,  # the retweeted user, or ""
        promo: _Promo,
        contact: bool,  # a contact handle
        reasons: tuple[str, ...],  # promo_phrase, contact
        signals: tuple[str, ...],  # the model's signals from the text
    ) -> None:
        self.text = text
        self.retweeted = retweeted
        self.promo = promo
        self.contact = contact
        self.reasons = reasons
        self.signals = signals


class _Promo:
    """What :func:`_promo_points` found."""

    def __init__(self) -> None:
        self.points = 0
        self.best: dict[str, int] = {}  # best weight per family
        self.shortener = False
        self.contact = False  # a contact word (the handle itself is checked by _CONTACT_RE)
        self.warning = False  # a scam warning, reported speech or a disclaimer
        self.launch = False  # a first-party release whose only promo cues are offers
        self.job = False  # a job post (see JOB_PHRASES)
        self.lone_price = False  # a price is the only promotional cue (round 9)
        self.phone = False  # a phone number after a contact word (round 11)


def _promo_points(
    hits: list[_Hit],
    raw: str,
    text: str,
    cues: int,
    launch: PhraseMatcher[int],
    *,
    quoted: bool = False,
) -> _Promo:
    """Points of the promotional language in ``text`` (normalized, quotations removed; ``raw``
    for promo codes and keyword calls to action; ``quoted``: quotations were removed) and the
    markers found with it."""
    found = _Promo()
    best = found.best
    phrases = 0
    disclaimer = testimonial = own_link = soft_cta = resale = share = False
    own_offer = phone_cue = praise = reply_pitch = False
    token_hype: set[int] = set()  # (round 22) a token's pitch and upside claims, by index
    for kind, weight, has_contact in hits:
        found.contact = found.contact or has_contact
        family = kind
        if not family:
            found.shortener = found.shortener or not has_contact
            continue
        if family == "!" or (family == "?" and quoted):
            found.warning = True  # (mockery counts next to reported speech only)
            continue
        if family == "~":
            disclaimer = True
            continue
        if family == "^":
            testimonial = True
            continue
        if family == "*":
            soft_cta = True
            continue
        if family == "=":
            share = True
            continue
        if family == "+":
            own_link = True
            family = "offer"
        elif family == "&":
            own_offer = True  # (counted below)
            continue
        elif family == "%":
            phone_cue = True
            continue
        elif family == "<":
            praise = True
            continue
        elif family == ">":
            reply_pitch = True
            continue
        elif family == "$":
            token_hype.add(weight)
            continue
        if family in _MARKER_KINDS:
            continue
        if weight > EMOJI:  # a pointing emoji, however often repeated, is one cue
            phrases += 1
        if weight > best.get(family, 0):
            best[family] = weight
    # (round 11) the vendor's own offer counts unless it is an event announced without a pitch
    # at the reader ("our webinar starts in an hour, register here" stays an event)
    if own_offer and (not cues & _EVENT_CUE or _YOU_WORDS.search(text)):
        phrases += 1
        best["offer"] = max(best.get("offer", 0), WEAK)
    # (round 13) a reply bot's pitch: the reply's body opens with the product's category
    if reply_pitch and text.startswith("@") and _reply_body(text).startswith(REPLY_PITCH_OPENINGS):
        phrases += 1
        best["offer"] = max(best.get("offer", 0), STRONG)
    # (round 17) a seller's headline in title case: "Get Your Business Domain & Hosting Here
    # <link>", "Get Your MLM Software With <link>" (a reader's "get your popcorn ready" and a
    # tutorial's "How To Get Your First Client" are not)
    if cues & _SELLER_LINE and _seller_headline(raw):
        phrases += 1
        best["cta"] = max(best.get("cta", 0), WEAK)
    # (round 12) a praised project with friends tagged: a bounty's or a contest's entry
    if praise and text.count("@") >= MIN_PRAISE_TAGS and text.count("#") >= MIN_PRAISE_TAGS:
        phrases += 1
        best["offer"] = max(best.get("offer", 0), WEAK)
        best["cta"] = max(best.get("cta", 0), WEAK)
    code = price = False
    # Patterns the phrase table cannot hold; each only runs when its cue is in the text.
    # (round 11) a phone number after "call", "📞", "whatsapp", "contact" ...: an order line
    # (round 13: the regex runs only where the text holds a number's digits at all)
    if (phone_cue or found.contact) and _enough_digits(text) and _PHONE_RE.search(text):
        found.contact = found.phone = True
        phrases += 1
        best["cta"] = max(best.get("cta", 0), WEAK)
    if (("code" in text or "码" in text) and _has_promo_code(raw)) or (
        "checkout" in text and _CHECKOUT_CODE_RE.search(raw)
    ):
        phrases += 1
        best["cta"] = STRONG
        code = True
    # price news ("cuts prices to $0.15", "goes from $8 to $10", "降价"): its amounts are no
    # offer and no income claim (checked only where an amount was found)
    money_claim = "$" in text and _money_claim(text)
    if money_claim and _PRICE_NEWS_RE.search(text):
        money_claim = _money_claim(_FROM_TO_RE.sub(" ", text))
    # (the English patterns need a digit right before an "x": "the 100x", "now at 4x")
    income_zh = "赚了" in text or "翻了" in text or "从" in text
    income = (_digit_then(text, "x") and _INCOME_EN_RE.search(text) is not None) or (
        income_zh and _INCOME_ZH_RE.search(text) is not None
    )
    if money_claim or income:
        phrases += 1
        best["money"] = max(best.get("money", 0), WEAK)
    if _scarcity(text, cues):
        phrases += 1
        best["urgency"] = max(best.get("urgency", 0), WEAK)
    for weight, found_cta in _cta_patterns(raw, text, cues):
        if found_cta:
            phrases += 1
            best["cta"] = max(best.get("cta", 0), weight)
    if (
        not money_claim
        and (
            _dollar_amount(text)
            or _after_digit(text, "元")
            or _after_digit(text, "块钱")
            or _local_price(text)
        )
        and (_deadline(text, best) or not _PRICE_NEWS_RE.search(text))
    ):  # (a price rise with a deadline is a pitch: "after tonight it goes from $49 to $99")
        phrases += 1  # (the amount of a money claim is no price)
        price = "offer" not in best
        best["offer"] = max(best.get("offer", 0), WEAK)
    # (round 17-zh) a listing's price: "[钱]290", "1100[钱]", "[花朵]价格:128"
    if ("[钱]" in text or "[錢]" in text or "]价格:" in text or "]價格:" in text) and (
        _zh_listing_price(text)
    ):
        phrases += 1
        best["offer"] = STRONG
    # (round 17-zh) a link introduced by a colon and an emoticon, as product pitches end
    # ("…就靠它啦：[心]http://t.cn/…", "分享给大家嘛：[甩甩手]http://…")
    if ("]http" in text or "] http" in text) and _emoticon_link(text):
        phrases += 1
        best["cta"] = STRONG
    # (round 18-zh) a shop listing's title: "2014冬装新款…外套", "2015秋冬新款…连衣裙"
    if "新款" in text and _season_listing(text):
        phrases += 1
        best["offer"] = STRONG
    # (round 19-zh) a shop share's last line: a link's label after an emoticon ("…稀饭的亲们过来
    # 哈！[爱你] 地址：http://t.cn/…")
    if (
        "址:http" in text or "址 :http" in text or "接:http" in text or "接 :http" in text
    ) and _labelled_link(text):
        phrases += 1
        best["cta"] = STRONG
    if _after_digit(text, "折", _DIGITS_ZH):
        phrases += 1
        # resale at a fraction of the official price ("只要官方三折") is no first party's news
        resale = "官方" in text and _OFFICIAL_DISCOUNT_RE.search(text) is not None
        best["offer"] = max(best.get("offer", 0), STRONG if resale else WEAK)
    # round 5: services in the first person, things given "on us", sales claims, cohorts
    if (cues & _SERVICE and _SERVICE_RE.search(text)) or (cues & _ON_US and _ON_US_RE.search(text)):
        phrases += 1
        best["offer"] = max(best.get("offer", 0), WEAK)
    if "first " in text and _FREE_FIRST_RE.search(text):
        phrases += 1  # (round 8: "the first 10 hours are free")
        best["offer"] = max(best.get("offer", 0), WEAK)
    if cues & _HOOK and _SPEND_HOOK_RE.search(text):
        phrases += 1  # (round 8: "I spent $40k testing ... so you don't have to")
        best["money"] = max(best.get("money", 0), WEAK)
    if cues & _SOLD and _SOLD_RE.search(text):
        phrases += 1
        best["money"] = max(best.get("money", 0), WEAK)
    if cues & _AUDIENCE and _AUDIENCE_RE.search(text):
        phrases += 1
        best["offer"] = max(best.get("offer", 0), WEAK)
    if cues & _COHORT and _COHORT_RE.search(text):
        phrases += 1
        best["urgency"] = max(best.get("urgency", 0), WEAK)
    if (
        soft_cta
        and any(weight > EMOJI for family, weight in best.items() if family != "cta")
        and _LAUNCH_VERB not in launch.scan(text)
    ):  # (round 8: "links in the replies" beside a money promise; not "Introducing ...")
        phrases += 1
        best["cta"] = max(best.get("cta", 0), WEAK)
    # (round 21) a giveaway's or an airdrop's task list ("Follow @a 2. Like + RT 3. Tag 3
    # friends", "转发+评论抽3个送"): the prize is an offer and the entry a call to action, each
    # weak, added only where the phrases found neither (no family is counted twice)
    if (
        cues & _GIVEAWAY_CUE
        and (best.get("offer", 0) < WEAK or best.get("cta", 0) < WEAK)  # (else nothing to add)
        and _task_list(text)
    ):
        for family in ("offer", "cta"):
            if best.get(family, 0) < WEAK:
                phrases += 1
                best[family] = WEAK
    # (round 22) a token sold as an investment ("$X a sleeping giant #gem", "stake to earn ...
    # the next moonshot", "super bullish @x_erc"): the upside is a money promise and the token
    # the offer, each weak, added only where the phrases found neither (see _token_pitch)
    if (
        token_hype
        and (best.get("money", 0) < WEAK or best.get("offer", 0) < WEAK)
        and _token_pitch(text, token_hype)
    ):
        for family in ("money", "offer"):
            if best.get(family, 0) < WEAK:
                phrases += 1
                best[family] = WEAK
    if not best:
        return found
    if "offer" in best and text.count("@") >= MIN_TAGGED and _GIVEAWAY_WORDS.search(text):
        phrases += 1  # (round 11) a giveaway or an airdrop entered by tagging friends
        best["cta"] = max(best.get("cta", 0), WEAK)
    if text.count("ai ") >= MIN_AI_CHAIN and len(_AI_CHAIN_RE.findall(text)) >= MIN_AI_CHAIN:
        found.warning = True  # (an absurd chain: mockery; the author's own link still lifts it)
    ranked = sorted(best.values(), reverse=True)
    points = ranked[0] + sum(min(EXTRA_FAMILY, weight) for weight in ranked[1:])
    # every further phrase within a family: ads pile up cues, organic text rarely does
    points += min(EXTRA_PHRASE * max(phrases - len(best), 0), MAX_EXTRA_PHRASES)
    # the families with more than a pointing emoji
    families = {family for family, weight in best.items() if weight > EMOJI}
    if code or found.contact or resale:
        pass  # (a promo code, a contact handle or resale is never news)
    elif families == {"offer"} and _first_party(text, launch):
        found.launch = True
        points = min(points, WEAK)
    elif (
        cues & _EVENT_CUE and families <= {"offer", "cta", "urgency"} and _event(text, best, launch)
    ):
        found.launch = True
        points = min(points, WEAK)
    elif share and families <= {"cta", "urgency"} and max(best.values()) <= WEAK:
        found.launch = True  # (round 9: the author's article, video, event; nothing sold)
        points = min(points, WEAK)
    elif families <= {"offer", "cta"} and max(best.values()) <= WEAK and _job_post(text):
        found.job = True  # a salary and "email in bio" are no pitch (and the model keeps out)
        points = min(points, WEAK)
    if disclaimer and not code and best.get("cta", 0) < STRONG:
        found.warning = True  # ("not sponsored, use my code X" is still an ad)
    if own_link or (testimonial and "cta" in best):
        found.warning = False  # (the author's own paid link; what the author used to think)
    if found.warning:
        points = min(points, WEAK)
    # (round 9) a price and nothing else ("ChatGPT Plus at $20 per month", "I would pay $10/mo"):
    # news or an opinion as often as a sale on real tweets; the model keeps out, unless the
    # reader is addressed ("need photos for your store? ... for $99" sells)
    found.lone_price = price and phrases == 1 and len(best) == 1 and not _YOU_WORDS.search(text)
    found.points = points
    return found


def _event(text: str, best: dict[str, int], launch: PhraseMatcher[int]) -> bool:
    """An event or a study, nothing sold (run only on texts whose promotional language is
    offers, calls to action and deadlines): a talk, meetup or workshop with sign-up and limited
    seats; or two distinct event markers (a summit's tickets and its CFP, a hackathon's prizes,
    a user study's thank-you gift card) with weak cues only. A strong cue (a funnel, "link in
    bio") still makes an ad."""
    if max(best.values()) > WEAK:
        return False
    events = {marker for marker in launch.scan(text) if marker < 0}
    return bool(events) and ("offer" not in best or len(events) >= 2)


def _job_post(text: str) -> bool:
    """A hiring phrase with a role or its terms, and none of a job scam's marks (see
    :data:`JOB_PHRASES`); run only on texts whose promotional language is weak offers and
    calls to action."""
    return (
        _JOB_WORDS.search(text)
        and _JOB_DETAIL_WORDS.search(text)
        and not _JOB_SCAM_WORDS.search(text)
    )


class _Words:
    """Whether any of ``words`` (normalized) occurs in a text, with word boundaries at ASCII
    letter and digit edges, exactly like a regex ``\\bword\\b`` there (the character beyond the
    edge is no letter, digit or "_" of any script). One Aho-Corasick pass: a regex alternation
    of the job words tried each word at each position, 56 µs per search."""

    def __init__(self, words: tuple[str, ...]) -> None:
        patterns = sorted({normalize_text(word) for word in words} - {""})
        self._edges = [(_ascii_alnum(p[0]), _ascii_alnum(p[-1])) for p in patterns]
        self._automaton = ahocorasick_rs.AhoCorasick(
            patterns,
            matchkind=ahocorasick_rs.MatchKind.Standard,
            implementation=ahocorasick_rs.Implementation.DFA,
        )

    def search(self, text: str) -> bool:
        size = len(text)
        edges = self._edges
        for index, start, end in self._automaton.find_matches_as_indexes(text, overlapping=True):
            left, right = edges[index]
            if left and start > 0 and _word_char(text[start - 1]):
                continue
            if right and end < size and _word_char(text[end]):
                continue
            return True
        return False


def _ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _word_char(ch: str) -> bool:
    """A regex ``\\w`` character (for a str pattern): a letter or digit of any script, or "_"."""
    return ch.isalnum() or ch == "_"


_JOB_WORDS: Final = _Words(JOB_PHRASES)
_JOB_DETAIL_WORDS: Final = _Words(JOB_DETAILS)
_JOB_SCAM_WORDS: Final = _Words(JOB_SCAM_PHRASES)
# The reader addressed (round 9: a lone price addressed to the reader is a sale, not news).
_YOU_WORDS: Final = _Words(("you", "your", "yours", "you'll", "you're", "you’ll", "你", "您"))
# (round 11) A giveaway or an airdrop (entered by tagging friends: see MIN_TAGGED).
_GIVEAWAY_WORDS: Final = _Words(("giveaway", "giveaways", "airdrop", "airdrops", "giving away"))
# (round 22) What names a token, a coin or a crypto project (see TOKEN_PITCH_PHRASES): a crypto
# word, a cashtag (not beside a stock's words: "$X to the moon #stocks" is a trader's), or a
# project's handle ("@x_erc", "@xcoin", "@x_inu", "@xswap").
TOKEN_WORDS: Final = (
    "token", "tokens", "coin", "coins", "crypto", "#crypto", "altcoin", "altcoins", "memecoin",
    "memecoins", "launchpad", "ido", "ico", "presale", "pre-sale", "dex", "erc20", "erc-20",
    "bep20", "bsc", "bnb", "pinksale", "defi", "web3", "binance", "kucoin", "pancakeswap",
    "uniswap", "holders", "币", "幣", "空投", "上所", "交易所",
)  # fmt: skip
STOCK_WORDS: Final = (
    "stock", "stocks", "#stocks", "shares", "earnings", "nasdaq", "nyse", "s&p", "options",
    "#options", "dividend", "dividends", "股票", "股市", "a股", "美股",
)  # fmt: skip
_TOKEN_WORDS: Final = _Words(TOKEN_WORDS)
_STOCK_WORDS: Final = _Words(STOCK_WORDS)
_TOKEN_HANDLE_RE = re.compile(r"@\w*(?:erc|coin|token|inu|swap|pad|bsc|dao)\b")


def _token_pitch(text: str, claims: set[int]) -> bool:
    """(round 22) Whether the pitch's words and upside claims found (``claims``: indexes of
    :data:`TOKEN_PITCH_PHRASES` from 1, of :data:`UPSIDE_PHRASES` negative) sell a token: a
    pitch's words with a token named or a second claim, or an upside beside a project's handle
    (run only where the scanner found a claim)."""
    handle = "@" in text and _TOKEN_HANDLE_RE.search(text) is not None
    if any(claim > 0 for claim in claims):
        return len(claims) >= MIN_TOKEN_CLAIMS or handle or _token_subject(text)
    return handle


def _token_subject(text: str) -> bool:
    """(round 22) Whether ``text`` names a token by a crypto word (:data:`TOKEN_WORDS`) or a
    cashtag without a stock's words (:data:`STOCK_WORDS`)."""
    if _TOKEN_WORDS.search(text):
        return True
    return "$" in text and _CASHTAG_RE.search(text) is not None and not _STOCK_WORDS.search(text)


# (round 21) A giveaway's or an airdrop's task list: a prize word and two distinct tasks in one
# run ("1. Follow @a @b 2. Like + RT 3. Tag 3 friends", "follow, retweet, drop your wallet",
# "转发+评论抽3个送", "关注@x并转发本微博@三位好友", "转评赞抽三位"). A winner's "I won a giveaway",
# "follow me for more" (one task, no prize), airdrop news and a hackathon's prizes have no run.
_PRIZE_RE = re.compile(  # (the look-ahead: a prize word's first character, checked first)
    r"(?=[#gawp抽开開奖獎])"
    r"(?:(?<![\w#])#?(?:giveaways?|airdrops?|giving away|win|winners|prizes?)\b"
    r"|抽奖|抽獎|开奖|開獎|奖品|獎品|抽送|抽取|抽个|抽個"
    r"|抽\s?[0-9]|抽\s?[一二两兩三四五六七八九十百千几幾]+\s?[个個位名人只份套台臺本支把条條双雙盒])"
)
# The look-ahead: every character a task can start with (its alternatives', a look-behind's
# spacing included), checked first, so that the ~20 alternatives are tried only there (2.3x
# faster over the real corpora; tests/unit/test_ads_round21.py checks the set).
_TASK_LEAD: Final = r"(?=[\sfrqltcdwjn@粉转轉关關点點赞贊讚圈评評留钱錢加进進🔔])"
_TASK_RE = re.compile(
    _TASK_LEAD + r"(?:(?P<follow>\bfollow\b(?!\s?-?\s?up\b)|粉我|转关|轉關"
    r"|[关關]\s?注\s?(?=@|我|本|博主|[+&、,并並和及]|[转轉]|评|評|点|點)"
    r"|(?<=[+&、并並和及])\s?[关關]\s?注|(?<=[转轉]发|[转轉]發)\s?[关關]\s?注)"
    r"|(?P<like>\blike\s?(?=[+&/,]|and\b)|(?<=[+&/,])\s?like\b|(?<=\band )like\b"
    r"|点\s?赞|點\s?[赞贊讚]|(?<=[转轉]评|[转轉]評)[赞贊讚])"
    r"|(?P<rt>\b(?:rt|retweet|repost|qrt)\b|[转轉]\s?(?:发|發)|[转轉](?=评|評|赞|贊|讚|花))"
    r"|(?P<tag>\btag\s(?:\w+\s){0,2}?(?:friends?|frens?|people|buddies|mates)\b"
    r"|@\s?(?:你的)?\s?[0-9一二两兩三四五六七八九十几幾]\s?(?:个|個|位|名)?\s?"
    r"(?:好友|朋友|基友|小伙伴|小夥伴|家人|人)"
    r"|圈\s?[0-9一二两兩三]\s?(?:个|個|位|名)?\s?(?:好友|基友|朋友))"
    r"|(?P<comment>\bcomment\b|\bdrop your\b|评\s?论|評\s?論|(?<=[转轉])[评評](?!论|論)|留言"
    r"|钱包地址|錢包地址|wallet address)"
    r"|(?P<join>\bjoin (?:our |the |my )?(?:telegram|discord|tg)\b|加群|进群|進群)"
    r"|(?P<notify>\bnotifications?\b|🔔))"
)
# A draw of money among a person's followers ("抽一位，1000元人民币", "抽10个500元红包",
# "每人200Q币"): no brand's goods, and the Weibo audits label such draws both ways, so no task
# list (round 21).
_CASH_PRIZE_RE = re.compile(
    r"红包|紅包|现金|現金|人民币|人民幣|转账|轉賬|转钱|轉錢|q币|q幣|qb\b|\d\s?(?:元|块|塊)|每[位人个個]\s?\d"
)
_HANDLE_RE = re.compile(r"@\w+")
# Words that join the tasks of one run ("follow me and", "转发并关注这条微博"), not counted as text.
_TASK_GLUE: Final = (
    "and", "then", "this", "the", "post", "tweet", "us", "me", "our", "page",
    "这条", "這條", "本条", "本條", "此条", "此條", "微博", "并", "並", "和", "及", "或", "再",
    "我", "本", "此", "这", "這", "即可",
)  # fmt: skip
MAX_TASK_GAP: Final = 3  # letters between two tasks of one run, besides handles and _TASK_GLUE


# A substring every match of each kind of _TASK_RE holds (the task regex costs ~100 µs a text:
# it runs only where two kinds might be found).
_TASK_CUES: Final = (
    ("follow", "粉我", "关", "關"),
    ("like", "点", "點", "赞", "贊", "讚"),
    ("rt", "retweet", "repost", "转", "轉"),
    ("tag", "@", "圈"),
    ("comment", "drop your", "评", "評", "留言", "钱包地址", "錢包地址", "wallet address"),
    ("join", "加群", "进群", "進群"),
    ("notification", "🔔"),
)


def _task_list(text: str) -> bool:
    """(round 21) Whether a prize word comes with a run of two or more distinct tasks (run only
    where the scanner found a prize cue word; see :data:`_TASK_RE`)."""
    if _PRIZE_RE.search(text) is None or _CASH_PRIZE_RE.search(text) is not None:
        return False
    if sum(any(cue in text for cue in cues) for cues in _TASK_CUES) < 2:
        return False
    kinds: set[str] = set()
    end = -1
    for match in _TASK_RE.finditer(text):
        kind = match.lastgroup or ""
        if end >= 0 and match.start() > end and not _task_glue(text[end : match.start()]):
            kinds = set()
        kinds.add(kind)
        if len(kinds) >= 2:
            return True
        end = max(end, match.end())
    return False


def _task_glue(between: str) -> bool:
    """Whether the text between two tasks joins them: handles, numbers, signs, emoji and
    :data:`_TASK_GLUE` words, and at most :data:`MAX_TASK_GAP` letters besides."""
    between = _HANDLE_RE.sub(" ", between)
    for word in _TASK_GLUE:
        if word in between:
            between = between.replace(word, " ")
    return sum(ch.isalpha() for ch in between) <= MAX_TASK_GAP


def _enough_digits(text: str) -> bool:
    """Whether ``text`` may hold a phone number: :data:`MIN_PHONE_DIGITS` ASCII digits (ten
    ``str.count``s in C: a cheap test before :data:`_PHONE_RE`, which cannot match with fewer),
    or any non-ASCII text (``\\d`` also matches other scripts' digits; ``isascii`` is O(1))."""
    if not text.isascii():
        return True
    total = 0
    for digit in "0123456789":
        total += text.count(digit)
        if total >= MIN_PHONE_DIGITS:
            return True
    return False


def _digit_then(text: str, char: str) -> bool:
    """Whether ``char`` occurs right after a digit (any script's, like a regex ``\\d``): a cheap
    test before a regex that needs one."""
    at = text.find(char, 1)
    while at > 0:
        if text[at - 1].isdigit():
            return True
        at = text.find(char, at + 1)
    return False


def _reply_body(text: str) -> str:
    """``text`` (a reply: it starts with "@") without its leading handles."""
    while text.startswith("@"):
        space = text.find(" ")
        if space < 0:
            return ""
        text = text[space + 1 :].lstrip()
    return text


def _seller_headline(raw: str) -> bool:
    """(round 17) "Get Your X" in title case, not a how-to's "To Get Your X" (run only where
    the scanner found "get your")."""
    start = raw.find("Get Your ")
    while start >= 0:
        if raw[max(start - 3, 0) : start].casefold() != "to ":
            return True
        start = raw.find("Get Your ", start + 1)
    return False


def _first_party(text: str, launch: PhraseMatcher[int]) -> bool:
    """A launch verb with a developer marker, or two distinct developer markers (run only on
    texts whose promotional language is offers alone)."""
    found = {marker for marker in launch.scan(text) if marker >= 0}
    return (_LAUNCH_VERB in found and len(found) > 1) or len(found - {_LAUNCH_VERB}) >= 2


def _launch_table() -> dict[str, int]:
    """Launch verbs ↦ :data:`_LAUNCH_VERB`, event markers ↦ minus their index (from -1),
    developer markers ↦ their index (from 1)."""
    table = {normalize_text(p): i for i, p in enumerate(DEV_PHRASES, start=1)}
    table.update((normalize_text(p), _LAUNCH_VERB) for p in LAUNCH_PHRASES)
    table.update((normalize_text(p), -i) for i, p in enumerate(EVENT_PHRASES, start=1))
    return table


_ASCII_WORD: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def _glues(ch: str) -> bool:
    """A character that glues onto an ASCII phrase edge (as in :class:`PhraseMatcher`)."""
    return ch in _ASCII_WORD or ("\x7f" < ch < "\u2e80" and ch.isalnum())


class _Scanner:
    """One Aho-Corasick pass for both the phrase table (matched like :class:`PhraseMatcher`:
    word boundaries at ASCII edges, an occurrence inside a longer one dropped) and the
    :data:`_CUE_WORDS` (anywhere), so that each pattern below runs only on the few texts that
    hold its cue."""

    def __init__(self, phrases: dict[str, _Hit]) -> None:
        patterns = list(dict.fromkeys([*phrases, *_CUE_WORDS]))
        # per pattern: (phrase value or None, boundary before?, boundary after?, cue bits)
        self._info = [
            (phrases.get(p), p[0] in _ASCII_WORD, p[-1] in _ASCII_WORD, _CUE_WORDS.get(p, 0))
            for p in patterns
        ]
        self._automaton = ahocorasick_rs.AhoCorasick(
            patterns,
            matchkind=ahocorasick_rs.MatchKind.Standard,
            implementation=ahocorasick_rs.Implementation.DFA,
        )

    def scan(self, text: str) -> tuple[list[_Hit], int]:
        """The phrase values found in ``text`` (normalized), one per occurrence, and the
        cue kinds (bits)."""
        info = self._info
        size = len(text)
        cues = 0
        spans: list[tuple[int, int, _Hit]] = []
        for index, start, end in self._automaton.find_matches_as_indexes(text, overlapping=True):
            value, left, right, bits = info[index]
            cues |= bits
            if value is None:
                continue
            if left and start > 0 and _glues(text[start - 1]):
                continue
            if right and end < size and _glues(text[end]):
                continue
            spans.append((start, end, value))
        if len(spans) > 1:
            hits = [
                value
                for start, end, value in spans
                if not any(s <= start and end <= e and e - s > end - start for s, e, _ in spans)
            ]
            return hits, cues
        return [value for _, _, value in spans], cues


def _cta_patterns(raw: str, text: str, cues: int) -> tuple[tuple[int, bool], ...]:
    """(weight, found) of the calls to action that need a pattern."""
    funnel = bool(cues & _FUNNEL) and _FUNNEL_RE.search(text) is not None
    keyword = bool(cues & _KEYWORD)
    quoted_keyword = (
        keyword and any(q in text for q in _QUOTES) and _QUOTED_CTA_RE.search(text) is not None
    )
    bare_keyword = keyword and _KEYWORD_CTA_RE.search(raw) is not None
    zh_keyword = cues & _ZH_KEYWORD and cues & _QUOTE and _ZH_KEYWORD_CTA_RE.search(text)
    verb_object = cues & _VERB and _VERB_OBJECT_RE.search(text)
    # taking up something free ("book a free 20-minute audit call", "claim your free seat")
    free_object = bool(verb_object and verb_object.group("free"))
    return (
        (STRONG, free_object),
        (STRONG, funnel),
        (STRONG, bool(zh_keyword)),
        (WEAK, quoted_keyword),
        (WEAK, bool(bare_keyword)),
        (WEAK, bool(verb_object)),
    )


def _unquote(text: str) -> tuple[str, str]:
    """``text`` without its quotations (see :data:`_QUOTED_RE`), and the quotations; ``text``
    itself when nothing but tags and links surrounds them (a pitch put in quotes is no one
    else's speech)."""
    inside = _QUOTED_RE.findall(text)
    if not inside:
        return text, ""
    outside = _QUOTED_RE.sub(" ", text)
    bare = _TAGS_AND_LINKS_RE.sub(" ", outside)
    if len(_WORD_RE.findall(bare)) < MIN_WORDS_AROUND_QUOTE:
        return text, ""
    return outside, " ".join(inside)


def _has_promo_code(raw: str) -> bool:
    for word in _CODE_WORD.finditer(raw):
        start = word.start()
        if raw[word.end() : word.end() + 1] in _ASCII_LETTERS:
            continue  # (round 9) a name: "with CodeGPT", "Codex" (a code stands apart)
        if _CODE_PREFIX.search(raw, max(0, start - 10), start) and _CODE_TAIL.match(
            raw, word.end()
        ):
            return True
        # a bare "code" opening a clause, with a discount-shaped code (round 8): "Students:
        # code EXAM20" ("error code E1001", "Claude Code" have a word before "code")
        before = raw[max(0, start - 3) : start].rstrip()
        if (not before or not _word_char(before[-1])) and _BARE_CODE_TAIL.match(raw, word.end()):
            return True
    return False


def _money_claim(text: str) -> bool:
    """A money promise (:data:`_MONEY_RE`) that is no topic: "a course on making $40k" talks
    about the claim."""
    for match in _MONEY_RE.finditer(text):
        before = text[max(0, match.start() - 6) : match.start()]
        if not before.endswith(("on ", "about ")):
            return True
    return False


def _deadline(text: str, best: dict[str, int]) -> bool:
    """A deadline tonight ("doors close at midnight", "after tonight"): then a price change
    is a sales pitch, not news."""
    return "urgency" in best and ("tonight" in text or "midnight" in text)


def _scarcity(text: str, cues: int) -> bool:
    if cues & _SLOTS and _SLOTS_RE.search(text):
        return True
    if "only" in text and (
        _ONLY_LEFT_RE.search(text) or ("h" in text and _HOURS_ONLY_RE.search(text))
    ):
        return True
    if "first " in text and _FIRST_N_RE.search(text):
        return True
    if "前" in text and _TOP_N_RE.search(text):
        return True
    return "剩" in text and _LEFT_N_RE.search(text) is not None


def _dollar_amount(text: str) -> bool:
    """Whether a "$" is followed by a digit ("$29"; "$NVDA" is a cashtag)."""
    at = text.find("$")
    while at != -1:
        if text[at + 1 : at + 2] in _ASCII_DIGITS and not _BIG_AMOUNT_RE.match(text, at):
            return True
        at = text.find("$", at + 1)
    return False


def _local_price(text: str) -> bool:
    """A price in a local currency (:data:`_LOCAL_PRICE_RE`, behind its cues)."""
    return any(cue in text for cue in _LOCAL_CURRENCY) and _LOCAL_PRICE_RE.search(text) is not None


def _after_digit(text: str, word: str, digits: frozenset[str] = _ASCII_DIGITS) -> bool:
    """Whether ``word`` occurs right after a digit (one space allowed): "99元", "5 折"."""
    at = text.find(word)
    while at > 0:
        before = text[at - 1]
        if before == " " and at > 1:
            before = text[at - 2]
        if before in digits:
            return True
        at = text.find(word, at + 1)
    return False


def _before_digit(text: str, word: str) -> bool:
    """Whether ``word`` occurs right before an ASCII digit (one space allowed): "[钱]290"."""
    at = text.find(word)
    while at >= 0:
        after = text[at + len(word) : at + len(word) + 2].lstrip(" ")
        if after[:1] in _ASCII_DIGITS:
            return True
        at = text.find(word, at + 1)
    return False


def _zh_listing_price(text: str) -> bool:
    """(round 17-zh) A price marked as a listing marks it: the money emoticon beside a number
    ("尺码34-40[钱]290", "礼盒套装1100[钱]") or an emoticon before a price label ("[花朵]价格:
    128"). The emoticon alone is click-bait decoration ("…震惊了[钱][爱你]"), no price."""
    return any(
        _before_digit(text, mark) or _after_digit(text, mark)
        for mark in ("[钱]", "[錢]")
        if mark in text
    ) or any(_before_digit(text, mark) for mark in ("]价格:", "]價格:") if mark in text)


# the longest Weibo emoticon name between its brackets ("[xb星]", "[甩甩手]")
MAX_EMOTICON: Final = 8


def _emoticon_link(text: str) -> bool:
    """(round 17-zh) Whether a link follows a colon and an emoticon: "…就靠它啦：[心]http://…"
    (a product pitch's last line); "视频：http://…" or "[围观]http://…" alone is no pitch, nor is
    a bracket in a text without Chinese ("Here's how: [Thread 🧵] https://…")."""
    at = text.find("]")
    while at > 0:
        if text.startswith("http", at + 1) or text.startswith(" http", at + 1):
            start = text.rfind("[", max(0, at - MAX_EMOTICON - 1), at)
            if start > 0:
                before = text[start - 1]
                if before == " " and start > 1:
                    before = text[start - 2]
                # (in Chinese text: "[Thread 🧵]" after "Here's how:" is no emoticon)
                if before == ":" and any("\u3400" <= char <= "\u9fff" for char in text[:at]):
                    return True
        at = text.find("]", at + 1)
    return False


# (round 18-zh) what a listing's title writes between its year and "新款"
_SEASONS: Final = frozenset(
    (
        *("春夏", "秋冬", "春夏季", "秋冬季", "春季", "夏季", "秋季", "冬季"),
        *("春装", "夏装", "秋装", "冬装", "女装", "男装", "童装"),
        *("春裝", "夏裝", "秋裝", "冬裝", "女裝", "男裝", "童裝"),
    )
)


def _year_at(text: str, start: int) -> bool:
    """Whether ``text[start:start + 4]`` is a year of this century ("2015")."""
    year = text[start : start + 4] if start >= 0 else ""
    return len(year) == 4 and year[:2] == "20" and all(char in _ASCII_DIGITS for char in year)


def _season_listing(text: str) -> bool:
    """(round 18-zh) A shop listing's title: a season's (or a range's) new items next to a year,
    "2014冬装新款 韩版毛领外套", "2015秋冬新款…连衣裙", "秋季新款2015 童靴". The year makes the
    title: "商场的冬装新款都上了" and "今年的新款手机" are people's talk and the news."""
    at = text.find("新款")
    while at >= 0:
        if _year_at(text, at + 2):
            before = text[max(0, at - 3) : at]
            if before[-2:] in _SEASONS or before in _SEASONS:
                return True
        for size in (3, 2):
            if text[at - size : at] in _SEASONS and at >= size:
                end = at - size - (1 if text[at - size - 1 : at - size] == "年" else 0)
                if _year_at(text, end - 4):
                    return True
        at = text.find("新款", at + 1)
    return False


# (round 19-zh) the labels a shop share writes before its link
_LINK_LABELS: Final = ("地址", "地 址", "链接", "鏈接")


def _labelled_link(text: str) -> bool:
    """(round 19-zh) Whether a link labelled "地址:" or "链接:" follows an emoticon that ends
    Chinese text: "…稀饭的亲们过来哈！[爱你] 地址：http://…" (a shop share's last line). A
    resource's "资源地址：http://…" (no emoticon) and a bare "[震惊] 地址：http://…" (no text
    before the emoticon) are no pitch."""
    at = text.find(":http")
    while at > 0:
        end = at - 1 if text[at - 1] == " " else at
        for label in _LINK_LABELS:
            start = end - len(label)
            if start < 2 or text[start:end] != label:
                continue
            close = start - 2 if text[start - 1] == " " else start - 1
            if text[close] != "]":
                continue
            opening = text.rfind("[", max(0, close - MAX_EMOTICON - 1), close)
            if opening > 0 and _chinese_outside_brackets(text[:opening]):
                return True
        at = text.find(":http", at + 1)
    return False


def _chinese_outside_brackets(text: str) -> bool:
    """Whether ``text`` holds a Chinese character outside the emoticons' brackets."""
    depth = 0
    for char in text:
        if char == "[":
            depth += 1
        elif char == "]":
            depth = max(0, depth - 1)
        elif not depth and "\u3400" <= char <= "\u9fff":
            return True
    return False


_VERDICTS: dict[tuple[float, bool, tuple[str, ...]], AdVerdict] = {}


def _verdict(score: float, is_ad: bool, reasons: tuple[str, ...]) -> AdVerdict:
    """AdVerdicts are immutable and few distinct ones exist: build each once."""
    key = (score, is_ad, reasons)
    verdict = _VERDICTS.get(key)
    if verdict is None:
        verdict = _VERDICTS[key] = AdVerdict(score=score, is_ad=is_ad, reasons=reasons)
    return verdict


def _count_cashtags(tweet: Tweet, text: str) -> int:
    if len(tweet.cashtags) < MIN_CASHTAGS and text.count("$") < MIN_CASHTAGS:
        return 0
    in_text = set(_CASHTAG_RE.findall(text))
    return max(len(in_text), len({t.lstrip("$").casefold() for t in tweet.cashtags}))


def _count_hashtags(tweet: Tweet, text: str) -> int:
    if len(tweet.hashtags) < MIN_HASHTAGS and text.count("#") < MIN_HASHTAGS:
        return 0
    in_text = set(_HASHTAG_RE.findall(text))
    return max(len(in_text), len({t.lstrip("#").casefold() for t in tweet.hashtags}))


def _count_mentions(tweet: Tweet, text: str, retweeted: str) -> int:
    if len(tweet.mentions) < MIN_MENTIONS and text.count("@") < MIN_MENTIONS:
        return 0
    in_text = set(_MENTION_RE.findall(text))
    entities = {m.lstrip("@").casefold() for m in tweet.mentions}
    entities.discard(retweeted)
    return max(len(in_text), len(entities))


def _store_points(urls: tuple[str, ...], promo: int) -> int:
    """Points for links to a storefront (:data:`STRONG`), to a course platform with a coupon or
    a share code (:data:`STRONG`), or to an app or extension store beside promotional language
    (:data:`WEAK`); 0 otherwise. Plain string tests on the few expanded links of a tweet."""
    best = 0
    for url in urls:
        link = url.partition("://")[2].lower() or url.lower()
        host = link.partition("/")[0].removeprefix("www.")
        if any(host == store or host.endswith("." + store) for store in STORE_HOSTS):
            return STRONG
        if any(host == site or host.endswith("." + site) for site in COURSE_HOSTS):
            if any(mark in link for mark in COURSE_LINK_MARKS):
                return STRONG
        elif promo > EMOJI and any(link.startswith(store) for store in APP_STORE_LINKS):
            best = WEAK
    return best


def _count_urls(tweet: Tweet, text: str) -> int:
    if len(tweet.urls) < MIN_URLS and text.count("http") < MIN_URLS:
        return 0
    return max(len(set(_URL_RE.findall(text))), len(set(tweet.urls)))


_CLIENT_KINDS: dict[str, str] = {}


def _client_kind(source: str | None) -> str:
    """The kind of a posting client ("ad_client", "auto_client" or ""), cached per name."""
    if not source:
        return ""
    kind = _CLIENT_KINDS.get(source)
    if kind is None:
        name = source.casefold()
        if any(client == name or name.startswith(client + " ") for client in AD_CLIENTS):
            kind = "ad_client"
        elif any(client in name for client in AUTO_CLIENTS) or name.endswith("bot"):
            kind = "auto_client"
        else:
            kind = ""
        if len(_CLIENT_KINDS) < 10_000:
            _CLIENT_KINDS[source] = kind
    return kind


def _thin_or_hyperactive(tweet: Tweet) -> bool:
    author = tweet.author
    followers, following = author.followers_count, author.following_count
    if (
        followers is not None
        and following is not None
        and followers < THIN_ACCOUNT_FOLLOWERS
        and following > MAX_FOLLOWING_RATIO * max(followers, 1)
    ):
        return True
    if author.tweet_count is not None and author.created_at is not None:
        age_days = (tweet.created_at - author.created_at).total_seconds() / _SECONDS_PER_DAY
        return author.tweet_count / max(age_days, 1.0) > MAX_TWEETS_PER_DAY
    return False
