"""Peer benchmark: a sequential loop of DeleteListeners calls with Tencent's official Python SDK.

Usage: python peer_python.py ENDPOINT SECRET_ID SECRET_KEY CALLS WARMUP
Prints one JSON line: {"client": "python-sdk", "calls": N, "seconds": S, "calls_per_sec": R}.
"""

import json
import sys
import time

from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.gaap.v20180529 import gaap_client, models

BODY = {"ProxyId": "link-bench0001", "Force": 1, "ListenerIds": ["listener-bench0001"]}


def main() -> int:
    endpoint, secret_id, secret_key = sys.argv[1], sys.argv[2], sys.argv[3]
    calls, warmup = int(sys.argv[4]), int(sys.argv[5])
    http = HttpProfile()
    http.endpoint = endpoint
    http.scheme = "http"
    profile = ClientProfile()
    profile.httpProfile = http
    client = gaap_client.GaapClient(credential.Credential(secret_id, secret_key), "", profile)

    def one() -> None:
        req = models.DeleteListenersRequest()
        req.from_json_string(json.dumps(BODY))
        resp = client.DeleteListeners(req)
        if resp.RequestId is None:
            raise RuntimeError("response without RequestId")

    for _ in range(warmup):
        one()
    start = time.perf_counter()
    for _ in range(calls):
        one()
    seconds = time.perf_counter() - start
    print(json.dumps({"client": "python-sdk", "calls": calls, "seconds": seconds,
                      "calls_per_sec": calls / seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
