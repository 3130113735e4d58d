"""Benchmark: audited writes from many connections at once, on PostgreSQL; prints one JSON line.

Each writer renames its own organisation and records it in the audit trail, in one
transaction, as every audited change does. Measured two ways in the same run:

- as the trail is now: the event is written without a lock and sealed into the chain
  afterwards (the sealing is timed separately, as the sealer does it);
- the reference, as the trail was: each writer also locks the chain's head row until it
  commits (``SELECT … FOR UPDATE`` and its update), which put every audited write in the
  system in one queue.

    python -m bench.audit_writers --writers 16 --each 40
"""

import argparse
import json
import os
import sys
import threading
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--each", type=int, default=40)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caremarket.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from caremarket.audit.models import AuditEvent, AuditHead
    from caremarket.audit.trail import record, seal, verify
    from caremarket.organisations.models import Organisation

    call_command("migrate", verbosity=0)
    organisations = [Organisation.objects.create(kind="provider", name=f"Writer {n}") for n in range(args.writers)]

    def write_all(head_lock: bool) -> float:
        barrier, failures = threading.Barrier(args.writers + 1), []

        def writer(organisation):
            try:
                barrier.wait()
                for i in range(args.each):
                    with transaction.atomic():
                        if head_lock:  # as every audited write did before
                            head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
                        Organisation.objects.filter(pk=organisation.pk).update(name=f"{organisation.name} {i}")
                        record("bench", "organisation.renamed", organisation, after={"i": i})
                        if head_lock:
                            AuditHead.objects.filter(pk=1).update(sequence=head.sequence)
            except Exception as error:  # reported below
                failures.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=writer, args=(o,)) for o in organisations]
        for thread in threads:
            thread.start()
        barrier.wait()
        started = time.perf_counter()
        for thread in threads:
            thread.join()
        assert failures == [], failures
        return time.perf_counter() - started

    results = {"writers": args.writers, "each": args.each}
    for round_ in range(2):  # interleaved, the better of two of each
        for name, head_lock in (("locked", True), ("unlocked", False)):
            seconds = write_all(head_lock)
            results[f"{name}_s"] = min(results.get(f"{name}_s", seconds), seconds)
            if not head_lock:
                started = time.perf_counter()
                sealed = seal()
                results["seal_s"] = min(results.get("seal_s", 1e9), time.perf_counter() - started)
                results["sealed"] = sealed
            else:
                seal()
    assert verify() == []
    results["events"] = AuditEvent.objects.count()
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
