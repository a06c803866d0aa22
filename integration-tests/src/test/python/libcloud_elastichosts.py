#!/usr/bin/python3
"""Drives the system with Apache Libcloud's unmodified ElasticHosts driver (Debian python3-libcloud).

    libcloud_elastichosts.py URL USER KEY IMAGE CONSOLE_DIR

URL is the system (http://127.0.0.1:PORT), USER and KEY a customer's credentials, IMAGE the UUID
of a gzipped standard drive that libcloud lists among its images, CONSOLE_DIR where the agent
logs guests' serial consoles (elastic-UUID.log). Prints one line per step:

    STEP name key=value ...

and exits 0 when every call answered as the driver expects; any exception ends it non-zero
with a traceback. The JUnit test LibcloudTest runs it and checks each line against the system.
Every wait is bounded.
"""
import os
import sys
import time
from urllib.parse import urlparse

from libcloud.compute.base import NodeImage
from libcloud.compute.drivers.elastichosts import ElasticHostsNodeDriver
from libcloud.compute.drivers.elasticstack import ElasticStackNodeSize

READY = b"ELASTIC-TEST-GUEST-READY"
BOOT_SECONDS = 180


def step(label, **values):
    print("STEP " + label + "".join(" %s=%s" % (k, v) for k, v in values.items()), flush=True)


def await_console(console_dir, node, times):
    """Waits until the guest's console shows READY `times` times (the guest listens for ACPI)."""
    path = os.path.join(console_dir, "elastic-%s.log" % node.id)
    deadline = time.monotonic() + BOOT_SECONDS
    while time.monotonic() < deadline:
        if os.path.exists(path):
            with open(path, "rb") as f:
                if f.read().count(READY) >= times:
                    return
        time.sleep(0.5)
    raise AssertionError("%s not %d times on %s within %ds" % (READY, times, path, BOOT_SECONDS))


def await_gone(driver, node, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if node.id not in [n.id for n in driver.list_nodes()]:
            return
        time.sleep(0.5)
    raise AssertionError("node %s still listed after %ds" % (node.id, seconds))


def main(url, user, key, image_uuid, console_dir):
    endpoint = urlparse(url)
    driver = ElasticHostsNodeDriver(user, key, secure=endpoint.scheme == "https",
                                    host=endpoint.hostname, port=endpoint.port)

    step("list_nodes", count=len(driver.list_nodes()))

    # The image as the driver lists it (its own table of ElasticHosts standard drives).
    images = [i for i in driver.list_images() if i.id == image_uuid]
    if not images:
        raise AssertionError("libcloud does not list %s among its images" % image_uuid)
    image = images[0]
    # A size of one's own, as NodeSize allows: the driver's sizes ask 160 GB to 1.7 TB disks and
    # 1.7 GB or more of memory, more than a test host should give a test guest.
    size = ElasticStackNodeSize(id="tiny", name="tiny", cpu=1000, ram=256, disk=1,
                                bandwidth=None, price=0, driver=driver)

    node = driver.create_node(name="libcloud one", size=size, image=image, vnc_password="s3cr3t")
    drive = node.extra["ide:0:0"]
    step("create_node", id=node.id, state=node.state, drive=drive, cpu=node.extra["cpu"],
         mem=node.extra["mem"], vnc_ip=node.extra.get("vnc:ip"), password=node.extra.get("password"),
         public_ips=",".join(node.public_ips) or None)
    listed = [n for n in driver.list_nodes() if n.id == node.id]
    step("list_nodes", count=len(driver.list_nodes()), listed=len(listed),
         state=listed[0].state if listed else None, node_name=listed[0].name.replace(" ", "_") if listed else None)

    await_console(console_dir, node, 1)
    step("booted", id=node.id)
    step("reboot_node", result=driver.reboot_node(node))
    await_console(console_dir, node, 2)
    step("rebooted", id=node.id)

    # a transient server (the driver never sends persistent) is destroyed when its guest powers off
    step("ex_shutdown_node", result=driver.ex_shutdown_node(node))
    await_gone(driver, node, 90)
    step("shut_down", id=node.id)

    second = driver.create_node(name="libcloud two", size=size, image=image, vnc_password="s3cr3t")
    second_drive = second.extra["ide:0:0"]
    step("create_node", id=second.id, state=second.state, drive=second_drive)
    step("destroy_node", result=driver.destroy_node(second))
    await_gone(driver, second, 30)
    step("destroyed", id=second.id)

    step("ex_destroy_drive", drive=drive, result=driver.ex_destroy_drive(drive))
    step("ex_destroy_drive", drive=second_drive, result=driver.ex_destroy_drive(second_drive))
    step("list_nodes", count=len(driver.list_nodes()))
    step("done")


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    main(*sys.argv[1:])
