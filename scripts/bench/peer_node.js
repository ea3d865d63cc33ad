// Peer benchmark: a sequential loop of DeleteListeners calls with Tencent's official Node.js SDK
// (the CommonClient of tencentcloud-sdk-nodejs-common, the core every tencentcloud-sdk-nodejs
// service client is built on; there is no separate GAAP package).
//
// Usage: node peer_node.js ENDPOINT SECRET_ID SECRET_KEY CALLS WARMUP
// Prints one JSON line: {"client": "node-sdk", "calls": N, "seconds": S, "calls_per_sec": R}.
"use strict";
const { CommonClient } = require("tencentcloud-sdk-nodejs-common");

const BODY = { ProxyId: "link-bench0001", Force: 1, ListenerIds: ["listener-bench0001"] };

async function main() {
  const [endpoint, secretId, secretKey, callsArg, warmupArg] = process.argv.slice(2);
  const calls = Number(callsArg);
  const warmup = Number(warmupArg);
  const client = new CommonClient("gaap.tencentcloudapi.com", "2018-05-29", {
    credential: { secretId, secretKey },
    region: "",
    profile: { httpProfile: { endpoint, protocol: "http://", reqMethod: "POST" } },
  });
  const one = async () => {
    const resp = await client.request("DeleteListeners", BODY);
    if (!resp.RequestId) throw new Error("response without RequestId");
  };
  for (let i = 0; i < warmup; i++) await one();
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await one();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(JSON.stringify({ client: "node-sdk", calls, seconds, calls_per_sec: calls / seconds }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
