"""What devices send, through the ingestion adapter's machine client: detections become alerts by the pipeline's
rules, once per (deviceId, seq); quick-test readings are accepted or rejected one by one, with reasons."""

from __future__ import annotations

import asyncio
import datetime as dt

from tests.subgraphs.detection.conftest import (
    GATEWAY,
    INSPECTOR,
    NOW,
    OTHER_USCC,
    QUICK,
    REGISTER_CAMERA,
    REGISTER_DEVICE,
    REPORT,
    USCC,
    Subgraph,
    detections,
    device,
    with_camera,
)


async def test_devices_are_bound_to_the_supervising_unit_of_their_premises(subgraph: Subgraph) -> None:
    registered = (await subgraph.data(REGISTER_DEVICE, input=device()))["registerDevice"]["device"]
    assert registered == {"id": "EDGE-1", "kind": "EDGE_BOX", "uscc": USCC, "districtCode": "440304",
                          "stationCode": "440304001"}  # fmt: skip
    again = await subgraph.error(REGISTER_DEVICE, input=device())
    assert again.extensions["code"] == "CONFLICT"
    await subgraph.data(REGISTER_DEVICE, input=device("KIT-1", "QUICK_TEST_KIT"))
    wrong = await subgraph.error(REGISTER_CAMERA, input={"cameraId": "C", "deviceId": "KIT-1", "location": "x"})
    assert wrong.extensions["code"] == "WRONG_DEVICE_KIND"


async def test_detections_become_candidate_alerts_by_threshold_window_and_hours(subgraph: Subgraph) -> None:
    await with_camera(subgraph)
    subgraph.clock.at = NOW + dt.timedelta(days=1)  # the frames of the evening arrive the next morning
    gateway = subgraph.as_(GATEWAY)
    first = (
        await gateway.data(
            REPORT, input=detections(1, ("NO_HAT", 0.92), ("NO_HAT", 0.7), ("SMOKING", 0.3), ("PERSON", 0.99))
        )
    )["reportKitchenDetections"]
    (alert,) = first["alerts"]
    assert (alert["state"], alert["category"], alert["confidence"], len(alert["boxes"])) == (
        "CANDIDATE",
        "NO_HAT",
        0.92,
        2,
    )
    assert [(t["fromState"], t["toState"], t["actor"]) for t in alert["transitions"]] == [
        (None, "DETECTED", "SYSTEM"),
        ("DETECTED", "CANDIDATE", "SYSTEM"),
    ]
    assert {(s["category"], s["reason"]) for s in first["suppressed"]} == {
        ("SMOKING", "BELOW_THRESHOLD"),
        ("PERSON", "WITHIN_HOURS"),
    }
    soon = await gateway.data(REPORT, input=detections(2, ("NO_HAT", 0.95), at=NOW + dt.timedelta(minutes=9)))
    assert soon["reportKitchenDetections"]["suppressed"] == [{"category": "NO_HAT", "reason": "DUPLICATE_IN_WINDOW"}]
    later = await gateway.data(REPORT, input=detections(3, ("NO_HAT", 0.95), at=NOW + dt.timedelta(minutes=10)))
    assert len(later["reportKitchenDetections"]["alerts"]) == 1
    night = dt.datetime(2025, 9, 26, 23, 30, tzinfo=NOW.tzinfo)
    after_hours = await gateway.data(REPORT, input=detections(4, ("PERSON", 0.9), at=night))
    assert [a["category"] for a in after_hours["reportKitchenDetections"]["alerts"]] == ["UNATTENDED"]
    assert await subgraph.count("kitchen_alert") == 3


async def test_a_resend_changes_nothing_and_a_reused_seq_is_refused(subgraph: Subgraph) -> None:
    await with_camera(subgraph)
    gateway = subgraph.as_(GATEWAY)
    message = detections(7, ("OPEN_BIN", 0.8))
    first = (await gateway.data(REPORT, input=message))["reportKitchenDetections"]
    again = (await gateway.data(REPORT, input=message))["reportKitchenDetections"]
    assert (first["duplicate"], again["duplicate"]) == (False, True)
    assert again["alerts"] == first["alerts"] and again["suppressed"] == first["suppressed"]
    reused = await gateway.error(REPORT, input=detections(7, ("RODENT", 0.8)))
    assert reused.extensions["code"] == "SEQUENCE_REUSED"
    assert (await subgraph.count("kitchen_alert"), await subgraph.count("device_message")) == (1, 1)


async def test_bad_reports_are_refused_with_a_code_and_nothing_is_written(subgraph: Subgraph) -> None:
    await with_camera(subgraph)
    await subgraph.data(REGISTER_DEVICE, input=device("KIT-1", "QUICK_TEST_KIT"))
    gateway = subgraph.as_(GATEWAY)
    cases = {
        "UNKNOWN_DEVICE": {**detections(1, ("NO_HAT", 0.9)), "deviceId": "EDGE-404"},
        "WRONG_DEVICE_KIND": {**detections(1, ("NO_HAT", 0.9)), "deviceId": "KIT-1"},
        "UNKNOWN_CAMERA": detections(1, ("NO_HAT", 0.9), camera="CAM-404"),
        "INVALID_FRAME_HASH": detections(1, ("NO_HAT", 0.9), frame="not-a-hash"),
        "UNKNOWN_CATEGORY": detections(1, ("DANCING", 0.9)),
        "INVALID_DETECTION": detections(1, ("NO_HAT", 1.5)),
        "READING_IN_FUTURE": detections(1, ("NO_HAT", 0.9), at=NOW + dt.timedelta(hours=1)),
    }
    for code, message in cases.items():
        error = await gateway.error(REPORT, input=message)
        assert error.extensions["code"] == code, (code, error)
    assert (await subgraph.count("kitchen_alert"), await subgraph.count("device_message")) == (0, 0)
    refused = await subgraph.as_(INSPECTOR).error(REPORT, input=detections(1, ("NO_HAT", 0.9)))
    assert (refused.extensions["code"], refused.extensions["action"]) == (
        "FORBIDDEN",
        "detection.report_kitchen_detections",
    )


def reading(seq: int, **extra: object) -> dict[str, object]:
    return {"seq": seq, "uscc": USCC, "sampleName": "韭菜", "item": "PESTICIDE_INHIBITION", "value": 62.5,
            "unit": "%", "testedAt": (NOW - dt.timedelta(minutes=5)).isoformat(), **extra}  # fmt: skip


async def test_quick_tests_are_accepted_or_rejected_one_by_one_and_once(subgraph: Subgraph) -> None:
    await subgraph.data(REGISTER_DEVICE, input=device("KIT-1", "QUICK_TEST_KIT"))
    gateway = subgraph.as_(GATEWAY)
    batch = [
        reading(1),
        reading(2, item="NITRITE", value=0.012, unit="g/kg"),  # 12 mg/kg: below the cut-off
        reading(3, uscc=OTHER_USCC),
        reading(4, unit="mg/kg"),
        reading(5, value=130.0),
        reading(6, value=-1.0),
        reading(7, item="MELAMINE"),
        reading(8, uscc="91440300MA5F0000X"),
    ]
    result = (await gateway.data(QUICK, input={"deviceId": "KIT-1", "readings": batch}))["recordQuickTests"]
    assert (result["accepted"], result["rejected"]) == (2, 6)
    by_seq = {r["seq"]: r for r in result["results"]}
    positive = by_seq[1]["quickTest"]
    assert (positive["outcome"], positive["labTestRequired"]) == ("POSITIVE", True)
    assert (
        positive["objectionUntil"]
        == (NOW - dt.timedelta(minutes=5) + dt.timedelta(hours=4)).astimezone(dt.UTC).isoformat()
    )
    nitrite = by_seq[2]["quickTest"]
    assert (nitrite["value"], nitrite["unit"], nitrite["outcome"]) == (12.0, "mg/kg", "NEGATIVE")
    assert [by_seq[s]["code"] for s in range(3, 9)] == [
        "PREMISES_MISMATCH",
        "INVALID_UNIT",
        "IMPOSSIBLE_VALUE",
        "IMPOSSIBLE_VALUE",
        "UNKNOWN_QUICK_TEST_ITEM",
        "INVALID_USCC",
    ]
    assert all(by_seq[s]["reason"] for s in range(3, 9))
    assert await subgraph.count("quick_test") == 2

    resent = await gateway.data(QUICK, input={"deviceId": "KIT-1", "readings": [reading(1), reading(2, value=1.0)]})
    first, second = resent["recordQuickTests"]["results"]
    assert (first["accepted"], first["duplicate"], first["quickTest"]["id"]) == (True, True, positive["id"])
    assert (second["accepted"], second["code"]) == (False, "SEQUENCE_REUSED")
    unknown = await gateway.data(QUICK, input={"deviceId": "KIT-404", "readings": [reading(9)]})
    assert unknown["recordQuickTests"]["results"][0]["code"] == "UNKNOWN_DEVICE"
    assert await subgraph.count("quick_test") == 2


async def test_the_same_message_sent_twice_at_once_has_one_effect(subgraph: Subgraph) -> None:
    await with_camera(subgraph)
    await subgraph.data(REGISTER_DEVICE, input=device("KIT-1", "QUICK_TEST_KIT"))
    gateway = subgraph.as_(GATEWAY)
    message = detections(1, ("SMOKING", 0.9))
    batch = {"deviceId": "KIT-1", "readings": [reading(1), reading(2)]}
    bodies = await asyncio.gather(
        gateway.execute(REPORT, input=message), gateway.execute(REPORT, input=message),
        gateway.execute(QUICK, input=batch), gateway.execute(QUICK, input=batch),
    )  # fmt: skip
    assert all("errors" not in body for body in bodies), bodies
    reports = sorted(body["data"]["reportKitchenDetections"]["duplicate"] for body in bodies[:2])
    assert reports == [False, True]
    duplicates = sorted(
        tuple(r["duplicate"] for r in body["data"]["recordQuickTests"]["results"]) for body in bodies[2:]
    )
    assert duplicates == [(False, False), (True, True)]
    counts = [await subgraph.count(table) for table in ("kitchen_alert", "device_message", "quick_test")]
    assert counts == [1, 1, 2]
