"""Locust side of the plain-GET benchmark (bench/run-benchmarks): GET / with no wait.

STAMPEDE_BENCH_CLIENT=fast (default) uses FastHttpUser (geventhttpclient), =http uses
HttpUser (requests). The same shape as bench/plain-get.json.
"""
import os

from locust import FastHttpUser, HttpUser, constant, task

_BASE = HttpUser if os.environ.get("STAMPEDE_BENCH_CLIENT", "fast") == "http" else FastHttpUser


class PlainGet(_BASE):
    wait_time = constant(0)

    @task
    def get_root(self):
        self.client.get("/", name="/")
