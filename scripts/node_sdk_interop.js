// Drive gaap-mock with Tencent's official Node.js SDK (the CommonClient of
// tencentcloud-sdk-nodejs-common, which every tencentcloud-sdk-nodejs service client uses).
//
// Usage: node node_sdk_interop.js HOST:PORT SECRET_ID SECRET_KEY
// The SDK signs the host without its port and derives the scope's service from the
// endpoint's first label ("127"), so this also checks that the emulator accepts both.
// Prints one line per check and a final "N passed, M failed" line; exits non-zero on failure.
"use strict";
const { CommonClient } = require("tencentcloud-sdk-nodejs-common");

function client(endpoint, secretId, secretKey, reqMethod = "POST") {
  return new CommonClient("gaap.tencentcloudapi.com", "2018-05-29", {
    credential: { secretId, secretKey },
    region: "",
    profile: { httpProfile: { endpoint, protocol: "http://", reqMethod } },
  });
}

async function main() {
  const [endpoint, secretId, secretKey] = process.argv.slice(2);
  const results = [];
  const check = (name, ok, detail = "") => {
    results.push(ok);
    console.log(`${ok ? "PASS" : "FAIL"} ${name}${detail ? ": " + detail : ""}`);
  };
  const gaap = client(endpoint, secretId, secretKey);
  try {
    const proxy = await gaap.request("CreateProxy", {
      ProjectId: 0, ProxyName: "node-interop", AccessRegion: "Guangzhou",
      Bandwidth: 10, Concurrent: 2, RealServerRegion: "Beijing",
    });
    const proxyId = proxy.InstanceId;
    check("CreateProxy", Boolean(proxyId && proxy.RequestId), proxyId);

    const created = await gaap.request("CreateTCPListeners", {
      ProxyId: proxyId, ListenerName: "node", Ports: [9090], Scheduler: "rr",
      HealthCheck: 1, RealServerType: "IP", DelayLoop: 30, ConnectTimeout: 5,
    });
    const listenerIds = created.ListenerIds || [];
    check("CreateTCPListeners", listenerIds.length === 1, JSON.stringify(listenerIds));

    const viaGet = client(endpoint, secretId, secretKey, "GET");
    const listed = await viaGet.request("DescribeTCPListeners", { ProxyId: proxyId });
    const found = (listed.ListenerSet || []).map((l) => l.ListenerId);
    check("DescribeTCPListeners (GET)", listed.TotalCount === 1 && found[0] === listenerIds[0],
      JSON.stringify(found));

    const deleted = await gaap.request("DeleteListeners", {
      ProxyId: proxyId, ListenerIds: listenerIds, Force: 0,
    });
    check("DeleteListeners", JSON.stringify(deleted.OperationSucceedListenerSet) ===
      JSON.stringify(listenerIds), JSON.stringify(deleted.OperationSucceedListenerSet));

    const destroyed = await gaap.request("DestroyProxies", { ProxyIds: [proxyId], Force: 0 });
    check("DestroyProxies", (destroyed.OperationFailedInstanceSet || []).length === 0,
      JSON.stringify(destroyed.OperationFailedInstanceSet));
  } catch (e) {
    check("lifecycle", false, `${e.code || ""} ${e.message}`);
  }

  try {
    await client(endpoint, secretId, secretKey + "x").request("DescribeProxies", {});
    check("wrong secret refused", false, "the call succeeded");
  } catch (e) {
    check("wrong secret refused", e.code === "AuthFailure.SignatureFailure", e.code);
  }

  const failed = results.filter((ok) => !ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
