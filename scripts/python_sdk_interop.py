"""Drive gaap-mock with Tencent's official Python SDK (tencentcloud-sdk-python-gaap).

Usage: python_sdk_interop.py HOST:PORT SECRET_ID SECRET_KEY [SLOW_HOST:PORT]
Runs a connection/listener lifecycle over plain HTTP, then checks that a wrong secret is
refused with AuthFailure.SignatureFailure. With SLOW_HOST:PORT (an emulator started with
--state-delay 2), also the whole lifecycle with waits: create, wait running, listeners,
origin servers, configuration change, wait not adjusting, close, destroy, wait gone. Prints one line per check and a final
"N passed, M failed" line; exits non-zero when anything failed.
"""

import sys

from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
    TencentCloudSDKException,
)
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.gaap.v20180529 import gaap_client, models


def client(endpoint, secret_id, secret_key, method="POST", sign_method="TC3-HMAC-SHA256"):
    http = HttpProfile(endpoint=endpoint, reqMethod=method)
    http.scheme = "http"
    profile = ClientProfile(signMethod=sign_method, httpProfile=http)
    return gaap_client.GaapClient(credential.Credential(secret_id, secret_key), "", profile)


def request(model, params):
    req = model()
    req.from_json_string(__import__("json").dumps(params))
    return req


def wait_for(what, read, done, check, timeout=20.0):
    """Polls read() until done(value), at most `timeout` seconds; the last value."""
    import time
    deadline = time.monotonic() + timeout
    value = read()
    while not done(value) and time.monotonic() < deadline:
        time.sleep(0.2)
        value = read()
    check("wait: " + what, done(value), str(value))
    return value


def living_lifecycle(gaap, check):
    """The lifecycle against an emulator whose transitions take two seconds each (a check
    made right after a write is always within the delay: the emulator counts whole seconds)."""
    def status(proxy_id):
        found = gaap.DescribeProxies(request(models.DescribeProxiesRequest, {
            "ProxyIds": [proxy_id]})).ProxySet or []
        return found[0].Status if found else None

    def listener_status(listener_id):
        found = gaap.DescribeTCPListeners(request(models.DescribeTCPListenersRequest, {
            "ListenerId": listener_id})).ListenerSet or []
        return found[0].ListenerStatus if found else None

    try:
        seeded = gaap.DescribeProxies(request(models.DescribeProxiesRequest, {
            "Filters": [{"Name": "ProxyName", "Values": ["seeded-web"]}]})).ProxySet or []
        check("seeded: --seed connection is RUNNING",
              len(seeded) == 1 and seeded[0].Status == "RUNNING",
              str([(p.ProxyName, p.Status) for p in seeded]))
        if seeded:
            tcp = gaap.DescribeTCPListeners(request(models.DescribeTCPListenersRequest, {
                "ProxyId": seeded[0].ProxyId})).ListenerSet or []
            check("seeded: its listener has its origin server bound",
                  len(tcp) == 1 and tcp[0].ListenerName == "seeded-tcp"
                  and len(tcp[0].RealServerSet or []) == 1,
                  str([(l.ListenerName, len(l.RealServerSet or [])) for l in tcp]))
        proxy_id = gaap.CreateProxy(request(models.CreateProxyRequest, {
            "ProjectId": 0, "ProxyName": "living", "AccessRegion": "Guangzhou",
            "Bandwidth": 10, "Concurrent": 2, "RealServerRegion": "Beijing"})).InstanceId
        check("living: new connection is CREATING", status(proxy_id) == "CREATING",
              str(status(proxy_id)))
        listener = {"ProxyId": proxy_id, "ListenerName": "web", "Ports": [80],
                    "Scheduler": "rr", "HealthCheck": 0, "RealServerType": "IP"}
        try:
            gaap.CreateTCPListeners(request(models.CreateTCPListenersRequest, listener))
            check("living: listener refused while CREATING", False, "no error")
        except TencentCloudSDKException as e:
            check("living: listener refused while CREATING",
                  e.get_code() == "FailedOperation.ProxyStatusNotInRuning", e.get_code())
        wait_for("connection RUNNING", lambda: status(proxy_id), lambda s: s == "RUNNING", check)

        listener_id = gaap.CreateTCPListeners(request(
            models.CreateTCPListenersRequest, listener)).ListenerIds[0]
        wait_for("listener running (0)", lambda: listener_status(listener_id),
                 lambda s: s == 0, check)
        server_id = gaap.AddRealServers(request(models.AddRealServersRequest, {
            "ProjectId": 0, "RealServerIP": ["10.0.0.1"],
            "RealServerName": "origin"})).RealServerSet[0].RealServerId
        gaap.BindListenerRealServers(request(models.BindListenerRealServersRequest, {
            "ListenerId": listener_id, "RealServerBindSet": [{
                "RealServerId": server_id, "RealServerPort": 8080,
                "RealServerIP": "10.0.0.1", "RealServerWeight": 1}]}))
        check("living: binding adjusts the listener (3)", listener_status(listener_id) == 3,
              str(listener_status(listener_id)))
        wait_for("listener running after binding", lambda: listener_status(listener_id),
                 lambda s: s == 0, check)

        gaap.ModifyProxyConfiguration(request(models.ModifyProxyConfigurationRequest, {
            "ProxyId": proxy_id, "Bandwidth": 20, "Concurrent": 4}))
        check("living: ADJUSTING", status(proxy_id) == "ADJUSTING", str(status(proxy_id)))
        wait_for("connection not ADJUSTING", lambda: status(proxy_id),
                 lambda s: s == "RUNNING", check)

        closed = gaap.CloseProxies(request(models.CloseProxiesRequest, {"ProxyIds": [proxy_id]}))
        check("living: CloseProxies", closed.InvalidStatusInstanceSet == [],
              str(closed.InvalidStatusInstanceSet))
        wait_for("connection CLOSED", lambda: status(proxy_id), lambda s: s == "CLOSED", check)

        destroyed = gaap.DestroyProxies(request(models.DestroyProxiesRequest, {
            "ProxyIds": [proxy_id], "Force": 1}))
        task = gaap.DescribeTaskStatus(request(models.DescribeTaskStatusRequest, {
            "TaskId": destroyed.RequestId})).Status
        check("living: destroy task RUNNING", task == "RUNNING", str(task))
        wait_for("connection gone", lambda: status(proxy_id), lambda s: s is None, check)
        wait_for("destroy task SUCCESS", lambda: gaap.DescribeTaskStatus(request(
            models.DescribeTaskStatusRequest, {"TaskId": destroyed.RequestId})).Status,
            lambda s: s == "SUCCESS", check)
    except TencentCloudSDKException as e:
        check("living lifecycle", False, "%s: %s" % (e.get_code(), e.get_message()))


def mainland(gaap, check):
    """The mainland-only global domains, their DNS records and task status."""
    try:
        proxy_id = gaap.CreateProxy(request(models.CreateProxyRequest, {
            "ProjectId": 0, "ProxyName": "interop-dns", "AccessRegion": "Guangzhou",
            "Bandwidth": 10, "Concurrent": 2, "RealServerRegion": "Beijing"})).InstanceId
        made = gaap.CreateGlobalDomain(request(models.CreateGlobalDomainRequest, {
            "ProjectId": 0, "DefaultValue": "192.168.1.2", "Alias": "interop"}))
        domain_id = made.DomainId
        check("CreateGlobalDomain", (domain_id or "").startswith("dm-"), str(domain_id))
        task = gaap.DescribeTaskStatus(request(models.DescribeTaskStatusRequest, {
            "TaskId": made.RequestId}))
        check("DescribeTaskStatus", task.Status == "SUCCESS" and task.TaskId == made.RequestId,
              str(task.Status))
        gaap.CreateGlobalDomainDns(request(models.CreateGlobalDomainDnsRequest, {
            "DomainId": domain_id, "ProxyIdList": [proxy_id],
            "NationCountryInnerCodes": ["101001"]}))
        records = gaap.DescribeGlobalDomainDns(request(models.DescribeGlobalDomainDnsRequest, {
            "DomainId": domain_id})).GlobalDnsList
        check("DescribeGlobalDomainDns", len(records) == 1 and records[0].DnsRecordId > 0,
              str(len(records)))
        listed = gaap.DescribeGlobalDomains(request(models.DescribeGlobalDomainsRequest, {
            "ProjectId": 0, "Offset": 0, "Limit": 10}))
        check("DescribeGlobalDomains", listed.TotalCount == 1
              and listed.Domains[0].ProxyCount == 1, str(listed.TotalCount))
        gaap.DisableGlobalDomain(request(models.DisableGlobalDomainRequest, {
            "DomainId": domain_id}))
        gaap.DeleteGlobalDomainDns(request(models.DeleteGlobalDomainDnsRequest, {
            "DnsRecordId": records[0].DnsRecordId}))
        gaap.DeleteGlobalDomain(request(models.DeleteGlobalDomainRequest, {
            "DomainId": domain_id}))
        left = gaap.DescribeGlobalDomains(request(models.DescribeGlobalDomainsRequest, {
            "ProjectId": 0, "Offset": 0, "Limit": 10}))
        check("global domain deleted", left.TotalCount == 0, str(left.TotalCount))
        try:
            gaap.SetTlsVersion(request(models.SetTlsVersionRequest, {
                "ListenerId": "listener-nothere", "TLSSupportVersion": ["TLSv1.2"],
                "TLSCiphers": "GAAP_TLS_CIPHERS_GENERAL"}))
            check("SetTlsVersion on an unknown listener refused", False, "accepted")
        except TencentCloudSDKException as e:
            check("SetTlsVersion on an unknown listener refused",
                  e.get_code() == "ResourceNotFound", e.get_code())
    except TencentCloudSDKException as e:
        check("mainland actions", False, "%s: %s" % (e.get_code(), e.get_message()))


# Input Examples that break their own page's rules (the emulator enforces them).
EXAMPLES_THE_PAGE_ITSELF_FORBIDS = {
    "CreateTCPListeners", "DescribeListenerStatistics", "DescribeProxyGroupStatistics",
    "ModifyRuleAttribute",
}
VALIDATION_CODES = {"MissingParameter", "UnknownParameter", "InvalidParameter",
                    "InvalidParameterValue"}


def every_action(gaap, check):
    """Every action of the IR through the SDK's own method, with its page's Input Example:
    an answer, or a documented non-validation error for a resource this account lacks."""
    import json
    import os
    spec = os.path.join(os.path.dirname(__file__), "..", "api-specs", "gaap.json")
    with open(spec, encoding="utf-8") as f:
        ir = json.load(f)
    answered, missing, wrong = 0, [], []
    for action in ir["actions"]:
        name = action["name"]
        method = getattr(gaap, name, None)
        model = getattr(models, name + "Request", None)
        if method is None or model is None:
            missing.append(name)
            continue
        try:
            method(request(model, action["examples"][0]["request"]))
            answered += 1
        except TencentCloudSDKException as e:
            code = e.get_code()
            forbidden = name in EXAMPLES_THE_PAGE_ITSELF_FORBIDS and code == "InvalidParameterValue"
            if not forbidden and code in VALIDATION_CODES:
                wrong.append("%s: %s" % (name, code))
    check("the SDK has a method for every action (%d)" % len(ir["actions"]), not missing,
          ", ".join(missing))
    check("every action answers its page's example through the SDK (%d answered)" % answered,
          not wrong, "; ".join(wrong))


def main():
    endpoint, secret_id, secret_key = sys.argv[1:4]
    results = []

    def check(name, ok, detail=""):
        results.append(ok)
        print(("PASS " if ok else "FAIL ") + name + (": " + detail if detail else ""))

    gaap = client(endpoint, secret_id, secret_key)
    try:
        proxy = gaap.CreateProxy(request(models.CreateProxyRequest, {
            "ProjectId": 0, "ProxyName": "interop", "AccessRegion": "Guangzhou",
            "Bandwidth": 10, "Concurrent": 2, "RealServerRegion": "Beijing",
            "ClientToken": "interop-create-proxy-1"}))
        proxy_id = proxy.InstanceId
        check("CreateProxy", bool(proxy_id) and bool(proxy.RequestId), proxy_id)

        created = gaap.CreateTCPListeners(request(models.CreateTCPListenersRequest, {
            "ProxyId": proxy_id, "ListenerName": "web", "Ports": [8080],
            "Scheduler": "rr", "HealthCheck": 1, "RealServerType": "IP",
            "DelayLoop": 10, "ConnectTimeout": 5}))
        listener_ids = created.ListenerIds or []
        check("CreateTCPListeners", len(listener_ids) == 1, str(listener_ids))

        described = gaap.DescribeTCPListeners(request(models.DescribeTCPListenersRequest, {
            "ProxyId": proxy_id, "Offset": 0, "Limit": 20}))
        ports = [l.Port for l in described.ListenerSet or []]
        check("DescribeTCPListeners", described.TotalCount == 1 and ports == [8080],
              "TotalCount=%s ports=%s" % (described.TotalCount, ports))

        # The same listing in GET style (TC3 over the query string, bools/ints as text).
        get_style = client(endpoint, secret_id, secret_key, method="GET")
        listed = get_style.DescribeTCPListeners(request(models.DescribeTCPListenersRequest, {
            "ProxyId": proxy_id, "Port": 8080}))
        check("DescribeTCPListeners (GET)", listed.TotalCount == 1, str(listed.TotalCount))

        try:
            gaap.CreateTCPListeners(request(models.CreateTCPListenersRequest, {
                "ProxyId": proxy_id, "ListenerName": "dup", "Ports": [8080],
                "Scheduler": "rr", "HealthCheck": 0, "RealServerType": "IP"}))
            check("duplicate port refused", False, "no error")
        except TencentCloudSDKException as e:
            check("duplicate port refused",
                  e.get_code() == "InvalidParameterValue.DuplicatedListenerPort", e.get_code())

        try:
            gaap.CreateTCPListeners(request(models.CreateTCPListenersRequest, {
                "ProxyId": proxy_id, "Ports": [9090], "Scheduler": "rr",
                "HealthCheck": 0, "RealServerType": "IP"}))
            check("missing ListenerName refused", False, "no error")
        except TencentCloudSDKException as e:
            check("missing ListenerName refused", e.get_code() == "MissingParameter", e.get_code())

        deleted = gaap.DeleteListeners(request(models.DeleteListenersRequest, {
            "ProxyId": proxy_id, "ListenerIds": listener_ids + ["listener-missing"], "Force": 0}))
        check("DeleteListeners",
              deleted.OperationSucceedListenerSet == listener_ids
              and deleted.InvalidStatusListenerSet == ["listener-missing"],
              "succeeded=%s invalid=%s" % (deleted.OperationSucceedListenerSet,
                                           deleted.InvalidStatusListenerSet))

        destroyed = gaap.DestroyProxies(request(models.DestroyProxiesRequest, {
            "ProxyIds": [proxy_id], "Force": 0}))
        check("DestroyProxies", destroyed.InvalidStatusInstanceSet == []
              and destroyed.OperationFailedInstanceSet == [], str(destroyed.InvalidStatusInstanceSet))

        remaining = gaap.DescribeProxies(request(models.DescribeProxiesRequest, {"ProxyIds": [proxy_id]}))
        check("connection gone", remaining.TotalCount == 0, str(remaining.TotalCount))
    except TencentCloudSDKException as e:
        check("lifecycle", False, "%s: %s" % (e.get_code(), e.get_message()))

    # Signature v1, as query (GET) and form body (POST): create a connection, find it with a
    # nested filter (flattened to Filters.0.Values.0=...), destroy it.
    for method in ("GET", "POST"):
        for sign_method in ("HmacSHA1", "HmacSHA256"):
            name = "v1 %s %s" % (sign_method, method)
            v1 = client(endpoint, secret_id, secret_key, method=method, sign_method=sign_method)
            try:
                made = v1.CreateProxy(request(models.CreateProxyRequest, {
                    "ProjectId": 0, "ProxyName": "v1", "AccessRegion": "Shanghai",
                    "Bandwidth": 10, "Concurrent": 2, "RealServerRegion": "Beijing"}))
                listed = v1.DescribeProxies(request(models.DescribeProxiesRequest, {
                    "Limit": 5, "Filters": [{"Name": "AccessRegion", "Values": ["Shanghai"]}]}))
                found = [p.ProxyId for p in listed.ProxySet or []]
                gone = v1.DestroyProxies(request(models.DestroyProxiesRequest, {
                    "ProxyIds": [made.InstanceId], "Force": 1}))
                check(name, found == [made.InstanceId] and gone.InvalidStatusInstanceSet == [],
                      "found=%s" % found)
            except TencentCloudSDKException as e:
                check(name, False, "%s: %s" % (e.get_code(), e.get_message()))
    v1_wrong = client(endpoint, secret_id, secret_key + "-wrong", method="GET", sign_method="HmacSHA256")
    try:
        v1_wrong.DescribeProxies(models.DescribeProxiesRequest())
        check("v1 wrong secret refused", False, "no error")
    except TencentCloudSDKException as e:
        check("v1 wrong secret refused", e.get_code() == "AuthFailure.SignatureFailure", e.get_code())

    wrong = client(endpoint, secret_id, secret_key + "-wrong")
    try:
        wrong.DescribeProxies(models.DescribeProxiesRequest())
        check("wrong secret refused", False, "no error")
    except TencentCloudSDKException as e:
        check("wrong secret refused", e.get_code() == "AuthFailure.SignatureFailure"
              and bool(e.get_request_id()), e.get_code())

    mainland(gaap, check)
    every_action(gaap, check)
    if len(sys.argv) > 4:
        living_lifecycle(client(sys.argv[4], secret_id, secret_key), check)

    unknown = client(endpoint, "AKIDUNKNOWN", secret_key)
    try:
        unknown.DescribeProxies(models.DescribeProxiesRequest())
        check("unknown SecretId refused", False, "no error")
    except TencentCloudSDKException as e:
        check("unknown SecretId refused", e.get_code() == "AuthFailure.SecretIdNotFound", e.get_code())

    passed = sum(results)
    failed = len(results) - passed
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
