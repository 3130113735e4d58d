import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the web server, the background worker and the scheduler together (for `make run`)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, host, port, **options):
        manage = [sys.executable, "manage.py"]
        processes = [
            subprocess.Popen(manage + ["db_worker", "--queue-name", "default"]),
            subprocess.Popen(manage + ["scheduler"]),
            subprocess.Popen(manage + ["runserver", f"{host}:{port}"]),
        ]
        self.stdout.write(f"Caremarket is running on http://{host}:{port}/ (Ctrl-C to stop)")
        try:
            while all(p.poll() is None for p in processes):
                time.sleep(1)
        except KeyboardInterrupt:
            pass
        finally:
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGINT)
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
