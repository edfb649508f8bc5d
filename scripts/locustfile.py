"""The load test's users (run by scripts/bench_load.py, never on its own against anything
but the local gunicorn it starts): a network manager on their network's overview and the
network list, and an ICB viewer on the list, their ICB's filtered list and its networks.

Sessions, network codes and the rate per user come from the environment
(BENCH_LOAD_SETTINGS, a JSON file bench_load.py writes).
"""

import json
import os
import random
from pathlib import Path

from locust import HttpUser, constant_throughput, task

SETTINGS = json.loads(Path(os.environ["BENCH_LOAD_SETTINGS"]).read_text())


class PortalUser(HttpUser):
    abstract = True
    wait_time = constant_throughput(SETTINGS["rate_per_user"])
    cookie = ""

    def on_start(self):
        self.client.headers["Cookie"] = SETTINGS[self.cookie]

    def get(self, path, name):
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")


class NetworkManager(PortalUser):
    cookie = "manager"

    @task(3)
    def overview(self):
        self.get(f"/networks/{SETTINGS['network']}/", "network overview")

    @task(1)
    def as_of(self):
        self.get(f"/networks/{SETTINGS['network']}/?on=2024-04-01", "network overview as of")

    @task(1)
    def home(self):
        self.get("/", "home")


class ICBViewer(PortalUser):
    cookie = "commissioner"

    @task(2)
    def networks(self):
        self.get("/networks/", "network list")

    @task(2)
    def icb(self):
        self.get(f"/networks/?icb={SETTINGS['icb']}", "ICB's networks")

    @task(1)
    def sorted_page(self):
        self.get("/networks/?sort=-population&page=2", "network list sorted, page 2")

    @task(2)
    def a_network(self):
        self.get(f"/networks/{random.choice(SETTINGS['icb_networks'])}/", "a network in the ICB")
