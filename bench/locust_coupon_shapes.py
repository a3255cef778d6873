"""Locust side of the coupon-shapes benchmark (bench/run-benchmarks).

The requests of bench/coupon-shapes.json written the way the seed's locustfile writes them:
a user id drawn at start, JSON bodies, templated paths, a query string, a default Accept
header and catch_response checks of grab_status. No wait between tasks.
STAMPEDE_BENCH_CLIENT=fast (default) uses FastHttpUser, =http uses HttpUser.
"""
import os
import random

from locust import FastHttpUser, HttpUser, constant, task

_BASE = HttpUser if os.environ.get("STAMPEDE_BENCH_CLIENT", "fast") == "http" else FastHttpUser
_HEADERS = {"Accept": "application/json"}


def _check_grab(response):
    if response.status_code != 200:
        response.failure(f"HTTP {response.status_code}")
        return
    try:
        status = response.json().get("grab_status")
    except Exception as exc:  # noqa: BLE001 - any parse problem is a failed check
        response.failure(f"bad JSON: {exc}")
        return
    if status not in (0, 1):
        response.failure(f"grab_status {status!r}")
    else:
        response.success()


class CouponShapes(_BASE):
    wait_time = constant(0)

    def on_start(self):
        self.user_id = random.randint(1, 100000)

    @task(10)
    def grab_random(self):
        body = {"user_id": self.user_id, "coupon_id": random.randint(1, 500)}
        with self.client.post("/api/coupon/grab", json=body, headers=_HEADERS,
                              name="/api/coupon/grab [Random]", catch_response=True) as r:
            _check_grab(r)

    @task(10)
    def grab_hot_room(self):
        room = random.randint(1, 5)
        body = {"user_id": self.user_id, "room_id": room,
                "coupon_id": (room - 1) * 5 + random.randint(1, 5)}
        with self.client.post("/api/coupon/grab", json=body, headers=_HEADERS,
                              name="/api/coupon/grab [Hot Room]", catch_response=True) as r:
            _check_grab(r)

    @task(3)
    def query_own(self):
        self.client.get(f"/api/user/{self.user_id}/coupons", headers=_HEADERS,
                        name="/api/user/:id/coupons [Query Own]")

    @task(2)
    def hot_room_stats(self):
        self.client.get(f"/api/room/{random.randint(1, 5)}/stats", headers=_HEADERS,
                        name="/api/room/:id/stats [Hot Room Stats]")

    @task(1)
    def check_stock(self):
        self.client.get(f"/api/coupon/{random.randint(1, 500)}/stock", headers=_HEADERS,
                        name="/api/coupon/:id/stock [Check Stock]")

    @task(1)
    def recent_orders(self):
        self.client.get("/api/orders/recent?hours=1", headers=_HEADERS,
                        name="/api/orders/recent [Time Range]")
