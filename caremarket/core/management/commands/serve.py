import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Stop(Exception):
    """A signal asked us to stop."""


def child_environment(host: str, port: str, environ) -> dict:
    """What the web server, worker and scheduler run with: links in e-mails and the API's Link
    header name the address served on, unless the council set its own."""
    return dict(environ) | {"CAREMARKET_SITE_URL": environ.get("CAREMARKET_SITE_URL") or f"http://{host}:{port}"}


class Command(BaseCommand):
    help = ("Run the web server, the background worker, the scheduler and the audit trail's sealer together "
            "(for `make run`).")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--client-record-system", metavar="PORT", default="",
                            help="Also run the stand-in client record system on this port (the demo's)")

    def handle(self, *args, host, port, client_record_system="", **options):
        manage = [sys.executable, "manage.py"]
        commands = [["worker", "--queue-name", "default"], ["scheduler"], ["seal_audit_trail"],
                    # No autoreloader: it would fork a second server process that outlives a stop.
                    ["runserver", "--noreload", f"{host}:{port}"]]
        if client_record_system:
            commands.append(["run_client_record_system", "--port", client_record_system,
                             "--caremarket", f"http://{host}:{port}"])

        def stop(signum, frame):
            raise Stop(signal.Signals(signum).name)

        for signum in STOP_SIGNALS:
            signal.signal(signum, stop)
        parent = os.getppid()
        # Each in a process group of its own, so that stopping this command stops all of them
        # however it is stopped: Ctrl-C in a terminal, a signal to `make` or to this process.
        environment = child_environment(host, port, os.environ)
        processes = [subprocess.Popen(manage + command, start_new_session=True, env=environment)
                     for command in commands]
        self.stdout.write(f"Caremarket is running on http://{host}:{port}/ (Ctrl-C to stop)")
        try:
            # Stop too when whoever started us (make) has gone.
            while all(p.poll() is None for p in processes) and os.getppid() == parent:
                time.sleep(0.5)
        except Stop:
            pass
        finally:
            for signum in STOP_SIGNALS:
                signal.signal(signum, signal.SIG_IGN)
            self._stop(processes)
        self.stdout.write("Caremarket has stopped.")

    @staticmethod
    def _stop(processes):
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in processes:
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
