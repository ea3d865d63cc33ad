//! Every shape a doc page circulates in, in both site languages, gives the same IR: markdown
//! pipe tables with and without outer pipes and separator rows, one cell per line, plain
//! text rows, indented text, saved HTML, pages without section headings, descriptions over
//! several lines. The fixtures (`tests/fixtures/shapes/`, written by its `make_shapes.py`
//! from our own pages) carry an English and a Chinese page of two actions in each shape.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use gaap_ir::{Action, Ir, Param};
use xtask::parse::{self, Parsed, Source};

const SHAPES: &[&str] = &[
    "pipes.md",
    "no-outer-pipes.md",
    "bare-pipes.md",
    "no-headings.md",
    "cell-per-line.txt",
    "text.txt",
    "indented.txt",
    "html",
];
const PAGES: &[&str] = &[
    "en-CreateTCPListeners",
    "en-DestroyProxies",
    "zh-CreateTCPListeners",
    "zh-DestroyProxies",
];

fn shapes_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shapes")
}

fn read(name: &str) -> String {
    std::fs::read_to_string(shapes_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn parse_all(pages: &[(&str, &str)]) -> Parsed {
    let sources: Vec<Source<'_>> = pages
        .iter()
        .map(|(name, text)| Source { name, text })
        .collect();
    parse::parse_sources(&sources).unwrap_or_else(|failure| panic!("{:?}", failure.errors))
}

/// The IR of one page, with its file name blanked (it differs by shape by design).
fn ir_of(name: &str, text: &str) -> Ir {
    let parsed = parse_all(&[(name, text)]);
    assert!(parsed.warnings.is_empty(), "{name}: {:?}", parsed.warnings);
    let mut ir = parsed.ir;
    for action in &mut ir.actions {
        action.source = String::new();
    }
    ir
}

fn pretty(ir: &Ir) -> String {
    serde_json::to_string_pretty(ir).unwrap()
}

#[test]
fn every_shape_gives_the_same_ir() {
    for page in PAGES {
        let base_name = format!("{page}.{}", SHAPES[0]);
        let base = ir_of(&base_name, &read(&base_name));
        let action = &base.actions[0];
        assert!(action.input.len() >= 4, "{base_name}: {:?}", action.input);
        assert!(!action.output.is_empty() && !action.examples.is_empty());
        assert!(!action.errors.is_empty() && action.rate_limit_per_second == Some(20));
        assert_eq!(base.domain, "gaap.tencentcloudapi.com");
        assert!(
            action.input.iter().any(|p| p.description.contains('\n')),
            "{base_name}: the fixture carries a description over several lines"
        );
        let run_together = page.starts_with("en").then_some("run-together.txt");
        for shape in SHAPES[1..].iter().copied().chain(run_together) {
            let name = format!("{page}.{shape}");
            assert_eq!(pretty(&ir_of(&name, &read(&name))), pretty(&base), "{name}");
        }
    }
}

#[test]
fn data_types_pages_in_every_shape_give_the_same_structs() {
    let shapes = [
        "pipes.md",
        "bare-pipes.md",
        "cell-per-line.txt",
        "text.txt",
        "indented.txt",
        "html",
    ];
    let base_name = "zh-DataTypes.pipes.md";
    let base = ir_of(base_name, &read(base_name));
    let names: Vec<&str> = base.structs.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "AccessConfiguration",
            "AccessRegionDetial",
            "AccessRegionDomainConf",
            "BandwidthPriceGradient",
            "BindRealServer"
        ]
    );
    let access = &base.structs[0];
    assert_eq!(access.used_by, ["CreateProxyGroup"]);
    let required: Vec<bool> = access.fields.iter().map(|f| f.required).collect();
    assert_eq!(required, [true, true, true, false]);
    assert!(access.fields.iter().all(|f| f.example.is_some()));
    assert!(
        base.structs[1]
            .fields
            .iter()
            .any(|f| f.description.contains('\n')),
        "a description over two lines"
    );
    for shape in &shapes[1..] {
        let name = format!("zh-DataTypes.{shape}");
        assert_eq!(pretty(&ir_of(&name, &read(&name))), pretty(&base), "{name}");
    }
}

/// What both punctuation widths must agree on: everything but the prose itself.
fn without_prose(mut ir: Ir) -> Ir {
    let clear = |params: &mut Vec<Param>| {
        for p in params {
            p.description.clear();
            p.description_zh = None;
            if let Some(values) = &mut p.constraints.enum_values {
                for v in values {
                    v.description.clear();
                    v.description_zh = None;
                }
            }
        }
    };
    for action in &mut ir.actions {
        action.description.clear();
        action.description_zh = None;
        action.source.clear();
        clear(&mut action.input);
        clear(&mut action.output);
        for error in &mut action.errors {
            error.description.clear();
            error.description_zh = None;
        }
    }
    ir
}

#[test]
fn half_width_punctuation_reads_like_full_width() {
    for page in ["zh-CreateTCPListeners", "zh-DestroyProxies"] {
        let full = format!("{page}.text.txt");
        let half = format!("{page}.half-width.txt");
        let half_text = read(&half);
        assert!(!half_text.contains('：') && !half_text.contains('，'));
        assert_eq!(
            pretty(&without_prose(ir_of(&half, &half_text))),
            pretty(&without_prose(ir_of(&full, &read(&full)))),
            "{half}"
        );
    }
}

/// Names, types, required flags and constraints of one action's params.
fn shape_of(action: &Action) -> String {
    let params = |params: &[Param]| {
        params
            .iter()
            .map(|p| {
                let mut constraints = p.constraints.clone();
                for value in constraints.enum_values.iter_mut().flatten() {
                    value.description.clear();
                    value.description_zh = None;
                }
                format!(
                    "{} {:?} required={} nullable={} {}",
                    p.name,
                    p.ty,
                    p.required,
                    p.nullable,
                    serde_json::to_string(&constraints).unwrap()
                )
            })
            .collect::<Vec<_>>()
    };
    format!(
        "{}\nrate {:?}\n{:?}\ninput {:#?}\noutput {:#?}",
        action.name,
        action.rate_limit_per_second,
        action.constraints,
        params(&action.input),
        params(&action.output)
    )
}

#[test]
fn chinese_and_english_pages_give_the_same_names_types_flags_and_constraints() {
    for action in ["CreateTCPListeners", "DestroyProxies"] {
        let en_name = format!("en-{action}.text.txt");
        let zh_name = format!("zh-{action}.text.txt");
        let en = ir_of(&en_name, &read(&en_name));
        let zh = ir_of(&zh_name, &read(&zh_name));
        assert_eq!(
            shape_of(&zh.actions[0]),
            shape_of(&en.actions[0]),
            "{action}"
        );
    }
}

#[test]
fn both_languages_of_one_action_merge_into_one() {
    let (en_name, zh_name) = ("en.md", "zh.md");
    let (en, zh) = (
        read("en-CreateTCPListeners.pipes.md"),
        read("zh-CreateTCPListeners.pipes.md"),
    );
    let parsed = parse_all(&[(en_name, &en), (zh_name, &zh)]);
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    assert_eq!(parsed.ir.actions.len(), 1);
    let action = &parsed.ir.actions[0];
    assert!(
        action
            .description
            .starts_with("This API (CreateTCPListeners)")
    );
    assert!(
        action
            .description_zh
            .as_deref()
            .is_some_and(|d| d.starts_with("该接口（CreateTCPListeners）"))
    );
    let delay = action.input.iter().find(|p| p.name == "DelayLoop").unwrap();
    assert!(delay.description.starts_with("Time interval"));
    assert!(
        delay
            .description_zh
            .as_deref()
            .unwrap()
            .starts_with("源站健康检查时间间隔")
    );
    assert_eq!(delay.example.as_deref(), Some("20"));
    assert!(!delay.description_zh.as_deref().unwrap().contains("示例值"));
    // Merged, the English page alone and the Chinese page alone agree on the shape.
    assert_eq!(
        shape_of(action),
        shape_of(&ir_of(en_name, &en).actions[0]),
        "merged vs English"
    );
    assert_eq!(action.examples, ir_of(en_name, &en).actions[0].examples);
    let codes: Vec<_> = action.errors.iter().map(|e| e.code.as_str()).collect();
    assert!(codes.contains(&"InvalidParameterValue.DuplicatedListenerPort"));
    assert!(action.errors.iter().all(|e| e.description_zh.is_some()));
}

#[test]
fn disagreeing_pages_warn_with_both_files_and_lines() {
    let en = read("en-CreateTCPListeners.text.txt");
    let zh = read("zh-CreateTCPListeners.text.txt")
        .replace("ConnectTimeout 否 Integer", "ConnectTimeout 是 String");
    let en_line = en
        .lines()
        .position(|l| l.starts_with("ConnectTimeout "))
        .unwrap()
        + 1;
    let zh_line = zh
        .lines()
        .position(|l| l.starts_with("ConnectTimeout "))
        .unwrap()
        + 1;
    let parsed = parse_all(&[("en.txt", &en), ("zh.txt", &zh)]);
    let messages: Vec<String> = parsed.warnings.iter().map(ToString::to_string).collect();
    for what in ["the type", "required"] {
        assert!(
            messages.iter().any(|m| m.contains(what)
                && m.contains(&format!("en.txt:{en_line}:"))
                && m.contains(&format!("zh.txt:{zh_line}"))),
            "{what}: {messages:#?}"
        );
    }
    let param = parsed.ir.actions[0]
        .input
        .iter()
        .find(|p| p.name == "ConnectTimeout")
        .unwrap();
    assert!(!param.required, "the English page wins");
}

/// The Chinese text page with its Required column gone (an icon on the site).
fn without_required_column() -> String {
    read("zh-CreateTCPListeners.text.txt")
        .lines()
        .map(|line| line.replacen(" 是 ", " ", 1).replacen(" 否 ", " ", 1))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_lost_required_column_is_noticed_and_filled_from_the_other_language() {
    let page = without_required_column();
    assert!(!page.contains(" 是 String"));
    let alone = parse_all(&[("zh.txt", &page)]);
    assert_eq!(alone.warnings.len(), 1, "{:?}", alone.warnings);
    assert!(alone.warnings[0].message.contains("no Required column"));
    let action = &alone.ir.actions[0];
    assert!(action.input.len() == 14 && action.input.iter().all(|p| !p.required));

    let en = read("en-CreateTCPListeners.text.txt");
    let merged = parse_all(&[("zh.txt", &page), ("en.txt", &en)]);
    assert!(merged.warnings.is_empty(), "{:?}", merged.warnings);
    assert_eq!(
        shape_of(&merged.ir.actions[0]),
        shape_of(&ir_of("en.txt", &en).actions[0])
    );
}

#[test]
fn an_excerpt_cut_anywhere_after_the_action_row_keeps_what_it_shows() {
    for page in ["en-CreateTCPListeners", "zh-DestroyProxies"] {
        for shape in SHAPES {
            let name = format!("{page}.{shape}");
            let text = read(&name);
            let lines: Vec<&str> = text.lines().collect();
            // The Action row is complete once the Version row starts.
            let version_row = lines
                .iter()
                .position(|l| {
                    let l = l.trim_start_matches(['|', ' ', '<', 't', 'r', 'd', '>']);
                    l.starts_with("Version ")
                        || l.starts_with("Version\t")
                        || l.starts_with("Version<")
                })
                .unwrap_or_else(|| panic!("{name}: no Version row"));
            let expected = ir_of(&name, &text).actions[0].name.clone();
            for cut in version_row + 1..lines.len() {
                let excerpt = lines[..cut].join("\n");
                let parsed = parse::parse_sources(&[Source {
                    name: &name,
                    text: &excerpt,
                }])
                .unwrap_or_else(|f| panic!("{name} cut at line {cut}: {:?}", f.errors));
                assert_eq!(parsed.ir.actions.len(), 1, "{name} cut at {cut}");
                assert_eq!(parsed.ir.actions[0].name, expected, "{name} cut at {cut}");
            }
        }
    }
}
