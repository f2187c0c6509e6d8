"""Real programmes as preset instruments, each with its sources and the assumptions it makes.

A preset is an ordinary instrument object: add it to a scenario as it is, or tweak it with
``attrs.evolve``. Each carries its main `Source`; `preset_figures` says where every figure
in it comes from, published or assumed. Effect sizes nobody published (how much of the Big
Fund builds advanced logic capacity, how far pooling raises utilization) are explicit
`Assumption` objects with their reasons, at low confidence. Presets state flows in their active
years (money invested, power built); what a fab costs per wafer and how long building takes are
the projection engine's, not a preset's.

Confidence follows the tags of the project's fact files: primary sources are high, reputable
secondary sources medium, weak mirrors, aggregators and unconfirmed figures low.

Example:
    >>> from fullstack.policy.presets import preset, preset_figures
    >>> fund = preset("big fund 3")
    >>> fund.name, fund.budget, fund.source.publisher
    ('Big Fund III', <Quantity(344.0, 'gigaCNY')>, 'TrendForce')
    >>> type(preset_figures("Big Fund III")["to_capacity"]).__name__
    'Assumption'
    >>> attrs.evolve(fund, to_capacity=0.3).to_capacity
    0.3
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Final

import attrs

from fullstack._data import Catalog
from fullstack.policy.builtin import (
    AdoptionTarget,
    ComputeVoucher,
    ExportControl,
    GuidanceFund,
    InfrastructureProgramme,
    OpenSourcePromotion,
    VentureFund,
)
from fullstack.policy.instruments import Beneficiary, Instrument
from fullstack.provenance import Assumption, Provenance, Source
from fullstack.units import Q_

__all__ = ["preset", "preset_figures", "presets"]

# --- sources -------------------------------------------------------------------------------------
#
# Each is the original publication (or the mirror it was read on) named in the project's fact
# files or found for this module; titles reconstructed from a URL or written to describe an
# untitled page say so in the note.

_TRENDFORCE_2023: Final = Source(
    title="China's Big Fund faces hurdles in organizing third phase, initial funding encounter "
    "challenges",
    publisher="TrendForce",
    date="2023-09-28",
    url="https://trendforce.com/news/2023/09/28/news-chinas-big-fund-faces-hurdles-in-organizing"
    "-third-phase-initial-funding-encounter-challenges",
    confidence="medium",
    note="Title reconstructed from the URL. Big Fund I (2014) and II (2019) raised about 138.7 "
    "billion and 200 billion yuan; the first two phases together held about 9.4% of SMIC.",
)
_DIGITIMES_2017: Final = Source(
    title="China Big Fund commits investment of CNY85 billion",
    publisher="DIGITIMES",
    authors=("Jean Chu", "Jessie Shen"),
    date="2017-06-27",
    url="http://www.digitimes.com/news/a20170626PD211.html",
    confidence="medium",
    note="Big Fund I, as of end-April 2017: 62.8 billion yuan spent in 37 firms; 67% of its "
    "committed investment in IC manufacturing (SMIC, Yangtze Memory, Huahong Grace, to "
    "'enhance their advanced manufacturing capacity'), 17% in design, 8% in packaging, "
    "relatively little in equipment and materials.",
)
_DIGITIMES_2023: Final = Source(
    title="Big Fund adjusts its investment direction (DIGITIMES report)",
    publisher="DIGITIMES",
    date="2023-03-22",
    url="https://apps.digitimes.com/news/a20230322PD212/big-fund-china.html",
    confidence="medium",
    note="Descriptive title. Big Fund II, launched in 2019, raised 204.15 billion yuan, "
    "'eyeing investments mainly in IC design, packaging, testing, equipment and materials'.",
)
_WIKI_BIG_FUND: Final = Source(
    title="China Integrated Circuit Industry Investment Fund",
    publisher="WikiMili (mirror of the English Wikipedia article)",
    url="https://www.wikimili.com/en/China_Integrated_Circuit_Industry_Investment_Fund",
    confidence="low",
    note="Encyclopedia mirror, undated. Gives the phases as Big Fund I (2014 to 2019), Big Fund "
    "II (2019 to 2024) and Big Fund III (2024 to 2039).",
)
_TRENDFORCE_2024: Final = Source(
    title="China's Big Fund Phase Three commences, injecting 344 billion RMB into semiconductor "
    "industry growth",
    publisher="TrendForce",
    date="2024-05-27",
    url="https://trendforce.com/news/2024/05/27/news-chinas-big-fund-phase-three-commences-"
    "injecting-344-billion-rmb-into-semiconductor-industry-growth",
    confidence="medium",
    note="Title reconstructed from the URL. Big Fund III registered with 344 billion yuan in "
    "May 2024 (19 shareholders, among them the Ministry of Finance, CDB Capital and large "
    "state banks); expected focus on equipment, materials and HBM.",
)
_YICAI_2024: Final = Source(
    title="Big Fund phases I to III: registered and raised capital (Yicai Global report)",
    publisher="Yicai Global",
    date="2024-05-28",
    url="https://www.yicaiglobal.com/star50news/2024_05_286696518596396318732",
    confidence="medium",
    note="Descriptive title; not opened by us (figures as relayed with this citation). Big Fund "
    "III: 344 billion yuan registered on 24 May 2024; shareholders' capital, such as China "
    "Construction Bank's 21.5 billion yuan (6.25%), to be paid in within 10 years.",
)
_TMTPOST_AI_FUND: Final = Source(
    title="National AI Industry Investment Fund (TMTPost report, mirrored)",
    publisher="TMTPost (mirrored by fdwz.net)",
    date="2025-04-16",
    url="https://m.fdwz.net/news/Z2zR0XZDNk.html",
    confidence="low",
    note="Descriptive title; weak mirror. 60.06 billion yuan (about US$8.2 billion), a 13-year "
    "term, registered in Xuhui, Shanghai, about January 2025; managed by Guozhi Investment with "
    "Big Fund III as sole limited partner; invests in compute, algorithms, data and "
    "applications. RAND calls it the '$8.2 billion AI fund for start-ups'.",
)
_STDAILY_EDWC: Final = Source(
    title="East Data West Computing project launched (Science and Technology Daily, digital "
    "edition)",
    publisher="Science and Technology Daily",
    date="2022-02-24",
    url="https://digitalpaper.stdaily.com/http_www.kjrb.com/ywtk/html/2022-02/24/"
    "content_531141.htm",
    confidence="medium",
    note="Descriptive title. Launched on 17 February 2022, approved by the NDRC, the "
    "Cyberspace Administration of China, MIIT and the National Energy Administration: 8 "
    "national computing hubs and 10 data-center clusters.",
)
_NDRC_2023: Final = Source(
    title="NDRC on the progress of East Data West Computing (CCTV report, mirrored)",
    publisher="CCTV (mirrored by news3.cn)",
    date="2023-03-17",
    url="http://qiye.news3.cn/gundong/2023/0317/10541.html",
    confidence="low",
    note="Descriptive title; weak mirror of an official statement, not opened by us. NDRC: all "
    "8 hubs under construction; more than 600,000 new racks in the west; more than 400 billion "
    "yuan of new investment since the launch.",
)
_CSET_PLAN: Final = Source(
    title="Action Plan for the High-Quality Development of Computing Power Infrastructure "
    "(translation)",
    publisher="Center for Security and Emerging Technology (CSET), Georgetown University",
    date="2023-10",
    url="https://cset.georgetown.edu/publication/china_compute_infrastructure_action_plan",
    confidence="high",
    note="CSET's translation of the plan issued by MIIT and five other departments in October "
    "2023 (date is the plan's). Archived Chinese text: https://perma.cc/5BUT-AF5P. Targets: "
    "more than 300 EFLOPS of computing power by 2025, 35% of it intelligent computing; "
    "hub-node latency of 5 ms or less. The plan does not state the precision of its EFLOPS.",
)
_SCMP_2024: Final = Source(
    title="China beefs up computing power by 25% (South China Morning Post, via Yahoo Finance)",
    publisher="South China Morning Post (via Yahoo Finance Singapore)",
    url="https://sg.finance.yahoo.com/news/china-beefs-computing-power-25-093000498.html",
    confidence="medium",
    note="Descriptive title; article date not recorded (2024). CAICT: 246 EFLOPS of computing "
    "power at end-June 2024, up 25% year on year. Precision not stated.",
)
_REUTERS_UTILIZATION: Final = Source(
    title="China is developing nation-spanning network to sell surplus data center compute "
    "power; latency, disparate hardware are key hurdles",
    publisher="Tom's Hardware, relaying Reuters (mirrored by pcnewsup.com)",
    date="2025-07",
    url="https://pcnewsup.com/hardware-releases/china-is-developing-nation-spanning-network-to-"
    "sell-surplus-data-center-compute-power-latency-disparate-hardware-are-key-hurdles",
    confidence="medium",
    note="Title as given in the URL. Reuters (July 2025): utilization of only 20-30% at many "
    "Chinese data-center sites built in the recent boom.",
)
_REUTERS_STATE_CLOUD: Final = Source(
    title="China plans state-run cloud to sell surplus computing power (Reuters report, relayed)",
    publisher="Reuters (relayed by daily8.com)",
    date="2025-07",
    url="https://www.daily8.com/en/article/2d27aa68092232883427f946d71975d2",
    confidence="medium",
    note="Descriptive title. MIIT is building a state-run cloud with the three state-owned "
    "telecom operators to sell surplus computing power, aiming at standardized interconnection "
    "of public computing power nationwide by 2028 (Chen Yili, CAICT).",
)
_QINGYANG: Final = Source(
    title="China Mobile's Qingyang computing center (report)",
    publisher="China Daily Brief",
    date="2026",
    url="https://chinadailybrief.com/article/69ea023143a525ab0cd5e765",
    confidence="low",
    note="Descriptive title; weak secondary page, not opened by us. China Mobile's center at "
    "Qingyang (Gansu, one of the East Data West Computing clusters): 2.4 billion yuan "
    "invested; green power about 30% cheaper than in eastern China.",
)
_SHANGHAI_VOUCHERS: Final = Source(
    title="Shanghai measures on compute, model and corpus vouchers (notice of the Shanghai "
    "Municipal Commission of Economy and Informatization, mirrored)",
    publisher="Shanghai Municipal Commission of Economy and Informatization (mirrored by "
    "baitongwang.com)",
    date="2025-07-28",
    url="http://henan.baitongwang.com/jinrong/2025/0729/45568.html",
    confidence="medium",
    note="Descriptive title; mirror of the Shanghai government text (primary text on a "
    "mirror). 600 million yuan of compute vouchers; the city pays up to 30% of compute rent "
    "(with district money up to 100% for at most a year); 300 million yuan of model vouchers; "
    "100 million yuan of corpus vouchers. No period is given for the 600 million.",
)
_SHENZHEN_VOUCHERS: Final = Source(
    title="Shenzhen compute vouchers (report)",
    publisher="Asia Daily",
    date="2025",
    url="https://asiadaily.org/news/7342",
    confidence="low",
    note="Descriptive title; weak secondary page. 500 million yuan a year; vouchers pay up to "
    "50% of compute costs for firms and institutions, 60% for start-ups.",
)
_HANGZHOU_VOUCHERS: Final = Source(
    title="Hangzhou expands compute-voucher issuance: yearly total raised to 250 million yuan",
    publisher="bobomg.com (mirror of a Hangzhou municipal text)",
    url="https://bobomg.com/a/hang-zhou-kuo-rong-suan-li-quan-fa-fang-mei-nian-suan-li-quan-"
    "zong-e-ti-sheng-zhi-2-5yi-yuan.html",
    confidence="low",
    note="Title translated from the URL's pinyin; weak mirror, undated (about 2025). 250 "
    "million yuan a year; up to 30% of a compute contract (30% for domestic compute, 20% "
    "otherwise); at most 8 million yuan per firm a year.",
)
_AI_PLUS: Final = Source(
    title="Opinions of the State Council on Deepening the Implementation of the 'AI+' Action "
    "(Guofa [2025] No. 11)",
    publisher="State Council of the People's Republic of China (English text mirrored by "
    "taibo.cn)",
    date="2025-08-26",
    url="https://en.taibo.cn/p/25980362",
    confidence="low",
    note="Dated 21 August 2025, published 26 August 2025; read on a weak mirror. Targets: "
    "penetration of new-generation intelligent terminals, agents and similar applications "
    "above 70% by 2027 and above 90% by 2030; an 'intelligent economy and society' by 2035.",
)
_AI_PLUS_OPEN_SOURCE: Final = Source(
    title="State Council: support the construction of open-source communities for artificial "
    "intelligence",
    publisher="GMTEight",
    url="https://gmteight.com/latest/detail/493773",
    confidence="low",
    note="Title shortened from the page's; a news summary of the 'AI+' opinions, undated here "
    "(the opinions were published in August 2025): "
    "support AI open-source communities, evaluation and incentive mechanisms for open-source "
    "contributions, and open-source contributions in student credit and teacher evaluation.",
)
_MERICS_OPEN_SOURCE: Final = Source(
    title="China bets on open-source technologies to boost domestic innovation",
    publisher="MERICS (Mercator Institute for China Studies)",
    authors=("Rebecca Arcesati", "Caroline Meinhardt"),
    date="2021",
    url="https://merics.org/en/report/china-bets-open-source-technologies-boost-domestic-"
    "innovation",
    confidence="medium",
    note="MERICS Primer (2021), read on a MERICS host with the same path "
    "(s1devextacy.merics.org). For the Chinese government open source is 'an industrial policy "
    "tool' and part of its push for technological autonomy; China is bolstering a domestic "
    "open-source ecosystem.",
)
_CNAS_DEEPSEEK: Final = Source(
    title="Beyond DeepSeek: How China's AI Ecosystem Fuels Breakthroughs",
    publisher="Center for a New American Security (CNAS)",
    date="2025-02-14",
    url="https://www.cnas.org/publications/commentary/beyond-deepseek-how-chinas-ai-ecosystem-"
    "fuels-breakthroughs",
    confidence="medium",
    note="Commentary; author names not recorded here. Argues that DeepSeek's success rests on "
    "'the vast political and financial ecosystem China has built', citing a Radio Free Asia "
    "investigation that DeepSeek benefits from the state's push for AI, and its designation "
    "as a national high-tech enterprise by Zhejiang authorities by December 2023 (preferential "
    "tax treatment, subsidies, research grants).",
)
_WSJ_DEEPSEEK: Final = Source(
    title="Investors want a piece of DeepSeek. Its founder says not now",
    publisher="The Wall Street Journal (republished by Mint)",
    date="2025-03",
    url="https://www.livemint.com/companies/investors-want-a-piece-of-deepseek-its-founder-says-"
    "not-now-11741612831026.html",
    confidence="medium",
    note="Title as given in the URL; month from the article's id. Reports that founder Liang "
    "Wenfeng is in no hurry to take outside investment and is cautious about government-linked "
    "investors, fearing that a connection to Beijing would make global adoption of DeepSeek's "
    "models harder; it also reports that the state-owned Bank of China offered a low-interest "
    "loan after DeepSeek's success.",
)
_CNBC_H20: Final = Source(
    title="Nvidia says it will record $5.5 billion quarterly charge tied to H20 processors "
    "exported to China",
    publisher="CNBC (republished by NBC San Diego)",
    date="2025-04-15",
    url="https://www.nbcsandiego.com/news/business/money-report/nvidia-says-it-will-record-5-5-"
    "billion-quarterly-charge-tied-to-h20-processors-exported-to-china/3804789/",
    confidence="medium",
    note="Title as given in the URL. Reports NVIDIA's filing: on 9 April 2025 the US government "
    "told NVIDIA that exports of the H20 to China and a handful of other countries require a "
    "licence; NVIDIA expected about $5.5 billion of charges. NVIDIA's Form 8-K itself was not "
    "opened; as quoted elsewhere it says the requirement applies to China (with Hong Kong and "
    "Macau) and D:5 countries and, from 14 April, 'for the indefinite future'.",
)

# --- shared assumptions --------------------------------------------------------------------------

_CN_ECONOMY: Final = "CN"


@attrs.frozen
class _Entry:
    """A preset: the instrument, where each figure comes from, and other names for it."""

    instrument: Instrument
    figures: Mapping[str, Provenance]
    aliases: tuple[str, ...] = ()


class _Presets(Catalog[_Entry]):
    kind = "preset"


def _big_funds() -> list[_Entry]:
    layers = ("fabrication", "sme", "memory", "chip_design")
    issuer = "China Integrated Circuit Industry Investment Fund"
    smic = Beneficiary(
        actor="SMIC",
        strength="strong",
        sources=[_TRENDFORCE_2023, _DIGITIMES_2017],
        note="Big Funds I and II together held about 9.4% of SMIC (TrendForce, 2023); Big Fund "
        "I backed SMIC to enhance its advanced manufacturing capacity (DIGITIMES, 2017).",
    )
    phase_one = GuidanceFund(
        name="Big Fund I",
        issuer=issuer,
        layers=layers,
        start=2014,
        end=2019,
        budget="138.7 GCNY",
        to_capacity=0.3,
        source=_TRENDFORCE_2023,
        beneficiaries=[smic],
        note="Phase I of the National IC Industry Investment Fund. All its years predate the "
        "reference world's base year (2025), so a run from that year sees none of its "
        "spending: what it built is in the base figures.",
    )
    phase_two = GuidanceFund(
        name="Big Fund II",
        issuer=issuer,
        layers=layers,
        start=2019,
        end=2024,
        budget="204.15 GCNY",
        to_capacity=0.2,
        source=_DIGITIMES_2023,
        beneficiaries=[smic],
        note="Phase II. All its years predate the reference world's base year (2025), so a "
        "run from that year sees none of its spending: what it built is in the base figures.",
    )
    phase_three = GuidanceFund(
        name="Big Fund III",
        issuer=issuer,
        layers=layers,
        start=2024,
        end=2033,
        budget="344 GCNY",
        to_capacity=0.15,
        source=_TRENDFORCE_2024,
        note="Phase III, registered on 24 May 2024. A run from the reference world's base year "
        "(2025) sees its spending from 2025 on; its 2024 spending is in the base figures.",
    )
    periods = Assumption(
        reason="An encyclopedia mirror gives the phases as 2014-2019 and 2019-2024; the funds' "
        "own deployment schedules were not found. Money is assumed spent evenly over those "
        "years.",
        basis=(_WIKI_BIG_FUND,),
    )
    return [
        _Entry(
            phase_one,
            {
                "budget": _TRENDFORCE_2023,
                "start": _TRENDFORCE_2023,
                "end": periods,
                "to_capacity": Assumption(
                    reason="By April 2017, 67% of Big Fund I's committed investment went to IC "
                    "manufacturing (DIGITIMES), but much of that built memory (Yangtze Memory) "
                    "and mature-node capacity. Assumed: 30% of the fund built advanced logic "
                    "capacity.",
                    basis=(_DIGITIMES_2017,),
                ),
            },
            ("Big Fund 1", "Big Fund phase I", "National IC Industry Investment Fund I"),
        ),
        _Entry(
            phase_two,
            {
                "budget": _DIGITIMES_2023,
                "start": _DIGITIMES_2023,
                "end": periods,
                "to_capacity": Assumption(
                    reason="Big Fund II was reported to aim mainly at IC design, packaging, "
                    "testing, equipment and materials (DIGITIMES, 2023), so a smaller share "
                    "than phase I is assumed to have built advanced logic capacity: 20%.",
                    basis=(_DIGITIMES_2023,),
                ),
            },
            ("Big Fund 2", "Big Fund phase II", "National IC Industry Investment Fund II"),
        ),
        _Entry(
            phase_three,
            {
                "budget": _TRENDFORCE_2024,
                "start": _TRENDFORCE_2024,
                "end": Assumption(
                    reason="Reports of the registration say shareholders pay their capital in "
                    "within 10 years, so the money is assumed spent evenly over 2024-2033. An "
                    "encyclopedia mirror gives the phase as 2024-2039 instead.",
                    basis=(_YICAI_2024, _WIKI_BIG_FUND),
                ),
                "to_capacity": Assumption(
                    reason="Big Fund III is expected to focus on equipment, materials and HBM "
                    "(TrendForce), so less of it than of phases I and II is assumed to build "
                    "advanced logic capacity: 15%.",
                    basis=(_TRENDFORCE_2024,),
                ),
            },
            ("Big Fund 3", "Big Fund phase III", "National IC Industry Investment Fund III"),
        ),
    ]


def _ai_fund() -> _Entry:
    fund = VentureFund(
        name="National AI Industry Investment Fund",
        issuer="National AI Industry Investment Fund",
        layers=("datacenters", "foundation_models", "data", "software_applications"),
        start=2025,
        end=2037,
        budget="60.06 GCNY",
        to_compute=0.25,
        source=_TMTPOST_AI_FUND,
        note="Registered about January 2025 with Big Fund III as its sole limited partner; the "
        "money it invests is counted here, not again under Big Fund III.",
    )
    figures: dict[str, Provenance] = {
        "budget": _TMTPOST_AI_FUND,
        "start": _TMTPOST_AI_FUND,
        "end": Assumption(
            reason="The fund has a 13-year term from 2025; its money is assumed invested evenly "
            "over 2025-2037.",
            basis=(_TMTPOST_AI_FUND,),
        ),
        "to_compute": Assumption(
            reason="The fund invests in compute, algorithms, data and applications; with no "
            "published split, a quarter (one of four named areas) is assumed spent on compute.",
            basis=(_TMTPOST_AI_FUND,),
        ),
    }
    return _Entry(fund, figures, ("National AI fund", "AI Industry Investment Fund"))


def _infrastructure() -> list[_Entry]:
    edwc = InfrastructureProgramme(
        name="East Data West Computing",
        issuer="NDRC, CAC, MIIT and the National Energy Administration",
        layers=("datacenters", "energy"),
        start=2022,
        power_per_year=Q_("0.5 GW/year"),
        source=_STDAILY_EDWC,
        beneficiaries=[
            Beneficiary(
                actor="China Mobile",
                strength="weak",
                sources=[_QINGYANG],
                note="China Mobile built a 2.4 billion yuan computing center at Qingyang, one "
                "of the programme's clusters, where green power is reported about 30% cheaper "
                "than in the east (weak source).",
            )
        ],
        note="东数西算: 8 national hubs and 10 data-center clusters near cheap western power. "
        "Building before the base year is in the reference world's figures; from then on the "
        "2022-2023 pace is assumed to continue.",
    )
    nicn = InfrastructureProgramme(
        name="National Integrated Computing Network",
        issuer="MIIT, with the three state-owned telecom operators",
        layers=("datacenters",),
        start=2025,
        utilization_gain=0.05,
        source=_REUTERS_STATE_CLOUD,
        note="全国一体化算力网: a state-run cloud that sells surplus compute, with public "
        "computing power interconnected nationwide by 2028.",
    )
    plan = InfrastructureProgramme(
        name="MIIT computing infrastructure action plan",
        issuer="MIIT and five other departments",
        layers=("datacenters",),
        start=2023,
        end=2025,
        power_per_year=Q_("0.55 GW/year"),
        source=_CSET_PLAN,
        note="Targets for 2025: more than 300 EFLOPS of computing power, 35% of it intelligent "
        "computing. A run from the reference world's base year (2025) sees only its last "
        "year.",
    )
    return [
        _Entry(
            edwc,
            {
                "start": _STDAILY_EDWC,
                "power_per_year": Assumption(
                    reason="More than 600,000 new racks were built in the west in the ~13 "
                    "months to March 2023 (NDRC, weak mirror). At 2.5 kW per standard rack (the "
                    "unit of Chinese rack statistics; not checked against a source here) that is "
                    "about 1.4 GW of rack power a year; taking the action plan's 35% "
                    "intelligent-computing share as the share for AI gives about 0.5 GW a year.",
                    basis=(_NDRC_2023, _CSET_PLAN),
                ),
            },
            ("EDWC", "Eastern Data Western Computing", "东数西算"),
        ),
        _Entry(
            nicn,
            {
                "start": _REUTERS_STATE_CLOUD,
                "utilization_gain": Assumption(
                    reason="Many sites run at 20-30% utilization (Reuters) and the network aims "
                    "to sell their surplus compute; nobody published the expected gain. Five "
                    "points (25% to 30%) is assumed; vary it from 0 to 0.25.",
                    basis=(_REUTERS_UTILIZATION, _REUTERS_STATE_CLOUD),
                ),
            },
            ("NICN", "National Integrated Computing Power Network", "全国一体化算力网"),
        ),
        _Entry(
            plan,
            {
                "start": _CSET_PLAN,
                "end": _CSET_PLAN,
                "power_per_year": Assumption(
                    reason="The plan's target of more than 300 EFLOPS by 2025, from 246 EFLOPS "
                    "at end-June 2024, is about 22% growth in 18 months, about 14% a year. "
                    "Assuming AI data-center power grows in proportion (an upper bound: it "
                    "ignores gains in FLOP per watt) from the reference world's 4 GW gives "
                    "about 0.55 GW a year.",
                    basis=(_CSET_PLAN, _SCMP_2024),
                ),
            },
            ("MIIT action plan", "Computing power infrastructure action plan"),
        ),
    ]


def _vouchers() -> list[_Entry]:
    shanghai = ComputeVoucher(
        name="Shanghai compute vouchers",
        issuer="Shanghai Municipal Commission of Economy and Informatization",
        layers=("datacenters",),
        start=2025,
        budget_per_year=Q_("0.6 GCNY/year"),
        subsidy_rate=0.3,
        source=_SHANGHAI_VOUCHERS,
        note="Model vouchers (300 million yuan) and corpus vouchers (100 million yuan) are not "
        "included.",
    )
    shenzhen = ComputeVoucher(
        name="Shenzhen compute vouchers",
        issuer="Shenzhen municipal government",
        layers=("datacenters",),
        start=2025,
        budget_per_year=Q_("0.5 GCNY/year"),
        subsidy_rate=0.5,
        source=_SHENZHEN_VOUCHERS,
        note="Start-ups get up to 60%; the 50% rate for firms and institutions is used.",
    )
    hangzhou = ComputeVoucher(
        name="Hangzhou compute vouchers",
        issuer="Hangzhou municipal government",
        layers=("datacenters",),
        start=2025,
        budget_per_year=Q_("0.25 GCNY/year"),
        subsidy_rate=0.3,
        source=_HANGZHOU_VOUCHERS,
        note="30% is the rate for domestic compute; other compute gets 20%. At most 8 million "
        "yuan per firm a year.",
    )
    no_additional = Assumption(
        reason="The type's default: none of the voucher money is counted as additional "
        "spending on compute, since vouchers pay rent on existing capacity.",
    )
    return [
        _Entry(
            shanghai,
            {
                "start": _SHANGHAI_VOUCHERS,
                "budget_per_year": Assumption(
                    reason="The notice gives 600 million yuan without a period; it is read as "
                    "one year's budget, repeated each year. A weak report (March 2026) says "
                    "the budget is 1 billion yuan a year from 2026.",
                    basis=(_SHANGHAI_VOUCHERS,),
                ),
                "subsidy_rate": _SHANGHAI_VOUCHERS,
                "to_capex": no_additional,
            },
            ("Shanghai vouchers",),
        ),
        _Entry(
            shenzhen,
            {
                "start": _SHENZHEN_VOUCHERS,
                "budget_per_year": _SHENZHEN_VOUCHERS,
                "subsidy_rate": _SHENZHEN_VOUCHERS,
                "to_capex": no_additional,
            },
            ("Shenzhen vouchers",),
        ),
        _Entry(
            hangzhou,
            {
                "start": Assumption(
                    reason="The municipal text is undated on the mirror; about 2025.",
                    basis=(_HANGZHOU_VOUCHERS,),
                ),
                "budget_per_year": _HANGZHOU_VOUCHERS,
                "subsidy_rate": _HANGZHOU_VOUCHERS,
                "to_capex": no_additional,
            },
            ("Hangzhou vouchers",),
        ),
    ]


def _applications() -> list[_Entry]:
    ai_plus = AdoptionTarget(
        name="AI+ initiative",
        issuer="State Council",
        layers=("software_applications", "physical_applications"),
        start=2025,
        end=2035,
        milestones=((2027, 0.7), (2030, 0.9)),
        source=_AI_PLUS,
        note="The targets are for the penetration of intelligent terminals, agents and similar "
        "applications, read here as AI adoption. Its open-source provisions are in the preset "
        "'State open-source promotion'.",
    )
    deepseek = Beneficiary(
        actor="DeepSeek",
        strength="contested",
        sources=[_CNAS_DEEPSEEK],
        counter_sources=[_WSJ_DEEPSEEK],
        note="Disputed: did DeepSeek benefit from the state's support, or is it a private "
        "effort? For: CNAS (2025) argues it benefited from the state's push for AI (national "
        "high-tech enterprise status, with tax breaks, subsidies and grants). Against: the WSJ "
        "(2025) reports a founder who keeps government-linked investors away and is in no hurry "
        "for outside money. Neither source measures a benefit from open-source promotion "
        "itself.",
    )
    open_source = OpenSourcePromotion(
        name="State open-source promotion",
        issuer="Chinese central government",
        layers=("foundation_models", "servers_software"),
        start=2021,
        efficiency_gain=0.05,
        source=_MERICS_OPEN_SOURCE,
        beneficiaries=[deepseek],
        note="Open source as an industrial-policy tool (MERICS, 2021); reaffirmed for AI by the "
        "State Council's 2025 'AI+' opinions (open-source communities, credit for "
        "contributions).",
    )
    return [
        _Entry(
            ai_plus,
            {
                "milestones": _AI_PLUS,
                "start": _AI_PLUS,
                "end": _AI_PLUS,
                "attainment": Assumption(
                    reason="The type's default: the targets are taken at face value, so the "
                    "implied diffusion speed is an upper bound.",
                ),
            },
            ("AI Plus", "AI+ action", "Guofa [2025] No. 11"),
        ),
        _Entry(
            open_source,
            {
                "start": Assumption(
                    reason="MERICS documents state promotion of open source as under way in "
                    "2021; the year is when it was documented, not when it began.",
                    basis=(_MERICS_OPEN_SOURCE, _AI_PLUS_OPEN_SOURCE),
                ),
                "efficiency_gain": Assumption(
                    reason="Nobody published the effect of open-source promotion on what labs "
                    "get from their compute. 5% is a modest placeholder for sensitivity "
                    "analysis; vary it from 0 to 0.2.",
                ),
            },
            ("Open-source promotion", "AI open-source promotion"),
        ),
    ]


def _export_controls() -> list[_Entry]:
    from fullstack.export_controls import export_rule

    out = []
    rules = [
        ("2022-10", "US Oct 2022 rule", 2022, 2023, ("October 2022 rule", "Oct 2022")),
        ("2023-10", "US Oct 2023 rule", 2023, None, ("October 2023 rule", "Oct 2023")),
        ("2024-12", "US Dec 2024 rule", 2024, None, ("December 2024 rule", "Dec 2024")),
    ]
    replaced_by = export_rule("2023-10").source
    for key, name, start, end, aliases in rules:
        rule = export_rule(key)
        layers = ("chip_design", "memory") if key == "2024-12" else ("chip_design",)
        control = ExportControl(
            name=name,
            economy=_CN_ECONOMY,
            issuer="Bureau of Industry and Security",
            layers=layers,
            rule=key,
            start=start,
            end=end,
            source=rule.source,
            note=f"{rule.citation}. Caps China's imports of every catalog chip the rule "
            "controls at zero licensed units a year"
            + (" (and HBM, 3A090.c)." if key == "2024-12" else "."),
        )
        figures: dict[str, Provenance] = {"rule": rule.source, "start": rule.source}
        if end is not None:
            figures["end"] = Assumption(
                reason="The October 2023 rule replaced this rule's 3A090.a paragraph (effective "
                "17 November 2023), so this rule ends in 2023.",
                basis=(replaced_by,),
            )
        out.append(_Entry(control, figures, (*aliases, f"US {key} rule")))
    h20 = ExportControl(
        name="US H20 licence requirement",
        economy=_CN_ECONOMY,
        issuer="Bureau of Industry and Security",
        layers=("chip_design",),
        chips=["H20"],
        start=2025,
        end=2025,
        source=_CNBC_H20,
        note="An is-informed letter to NVIDIA (9 April 2025), not a Federal Register rule. A "
        "yearly model caps all of 2025, though H20s shipped before April.",
    )
    h20_figures: dict[str, Provenance] = {
        "chips": _CNBC_H20,
        "start": _CNBC_H20,
        "end": Assumption(
            reason="NVIDIA said in July 2025 that the US government had promised H20 licences "
            "(press reports, not checked here); the requirement is assumed to end in 2025.",
        ),
    }
    out.append(_Entry(h20, h20_figures, ("H20 licence", "H20 license requirement")))
    return out


@functools.cache
def _catalog() -> _Presets:
    entries: list[_Entry] = [
        *_big_funds(),
        _ai_fund(),
        *_infrastructure(),
        *_vouchers(),
        *_applications(),
        *_export_controls(),
    ]
    return _Presets(
        entries,
        name_of=lambda e: e.instrument.name,
        aliases_of=lambda e: e.aliases,
        item_type=_Entry,
    )


def presets() -> dict[str, Instrument]:
    """Every preset instrument by name: real programmes, sourced (built once, then cached).

    Example:
        >>> from fullstack.policy.presets import presets
        >>> "East Data West Computing" in presets() and "US Oct 2023 rule" in presets()
        True
    """
    return {name: entry.instrument for name, entry in _catalog().items()}


def preset(name: str) -> Instrument:
    """A preset by name or alias, forgiving of case, spaces, hyphens and dots.

    Raises:
        UnknownNameError: With the closest preset names.

    Example:
        >>> from fullstack.policy.presets import preset
        >>> preset("us oct-2023 rule").rule
        '2023-10'
        >>> preset("Big Fund IV")
        Traceback (most recent call last):
        ...
        fullstack.UnknownNameError: unknown preset 'Big Fund IV' (of ... known); did you mean ...
    """
    return _catalog()[name].instrument


def preset_figures(name: str) -> dict[str, Provenance]:
    """Where each figure of a preset comes from, by field: a `Source` or an `Assumption`.

    Example:
        >>> from fullstack.policy.presets import preset_figures
        >>> preset_figures("Shenzhen compute vouchers")["subsidy_rate"].confidence
        <Confidence.LOW: 'low'>
    """
    return dict(_catalog()[name].figures)
