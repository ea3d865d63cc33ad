//! Every action of the IR, called with its page's Input Example, gets an answer: the page's
//! Output Example (fresh RequestId) for example-answered actions, and for stateful ones either
//! a success or an error code the page documents (e.g. `ResourceNotFound` for a connection
//! the example names but this empty account does not have).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use gaap_mock::{MockServer, STATEFUL_ACTIONS};
use serde_json::Value;
use support::{Call, code};

/// Input Examples that break their own page's rules, which the model enforces.
const EXAMPLES_THE_PAGE_ITSELF_FORBIDS: &[(&str, &str)] = &[
    (
        "CreateTCPListeners",
        "the example sends ConnectTimeout 20 and DelayLoop 20; the page says the timeout \
         shall be less than DelayLoop",
    ),
    (
        "DescribeProxyGroupStatistics",
        "the example sends MetricNames `InputBandwidth`; the page lists InBandwidth, \
         OutBandwidth, Concurrent, InPackets, OutPackets",
    ),
    (
        "DescribeListenerStatistics",
        "the example sends MetricNames `OutputBandwidth`, `InputBandwidth`; the mainland \
         page lists InBandwidth, OutBandwidth, Concurrent, InPackets, OutPackets",
    ),
    (
        "ModifyRuleAttribute",
        "the example sends CheckParams.StatusCode [1]; the Data Types page lists 100, 200, \
         300, 400, 500",
    ),
];

/// The gateway's validation codes: never acceptable for an example the page allows.
const VALIDATION_CODES: &[&str] = &[
    "MissingParameter",
    "UnknownParameter",
    "InvalidParameter",
    "InvalidParameterValue",
];

#[tokio::test]
async fn every_action_answers_its_input_example() {
    let ir: Value = serde_json::from_str(include_str!("../../api-specs/gaap.json")).unwrap();
    let server = MockServer::builder()
        .rate_limit(false)
        .start()
        .await
        .unwrap();
    let client = reqwest::Client::new();
    let url = server.url();
    let common: Vec<&str> = ir["common_errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    for action in ir["actions"].as_array().unwrap() {
        let name = action["name"].as_str().unwrap();
        let example = &action["examples"][0];
        let body = serde_json::to_string(&example["request"]).unwrap();
        let (status, _, reply) = Call::post(&url, name, &body).send(&client).await;
        assert_eq!(status, 200, "{name}");
        let response = reply["Response"].as_object().unwrap();
        assert!(response["RequestId"].is_string(), "{name}");
        let error = code(&reply);
        if let Some((_, why)) = EXAMPLES_THE_PAGE_ITSELF_FORBIDS
            .iter()
            .find(|(a, _)| *a == name)
        {
            assert_eq!(error, "InvalidParameterValue", "{name}: {why}: {reply}");
        } else if STATEFUL_ACTIONS.contains(&name) {
            let documented = action["errors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["code"] == error);
            assert!(
                error.is_empty()
                    || ((documented || common.contains(&error))
                        && !VALIDATION_CODES.contains(&error)),
                "{name}: {reply}"
            );
        } else {
            assert_eq!(error, "", "{name}: {reply}");
            let mut expected = example["response"].as_object().unwrap().clone();
            let mut got = response.clone();
            expected.remove("RequestId");
            got.remove("RequestId");
            assert_eq!(got, expected, "{name}");
        }
    }
    assert_eq!(server.request_counts().len(), 102);
}
