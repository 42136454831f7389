from accounts.demo import DEMO_TOTP_SECRET
from reviews.demo import DEMO_PASSWORD, DEMO_USERS, demo_load
from reviews.management.cli import ReviewCommand


class Command(ReviewCommand):
    help = "Load the demo reviews built from the seed documents, with one demo user per role."

    def handle(self, *args, **options):
        for line in demo_load():
            self.stdout.write(line)
        names = ", ".join(user.username for user in DEMO_USERS)
        self.stdout.write(f"Demo users: {names} (password {DEMO_PASSWORD}; demo only)")
        self.stdout.write(f"Their authenticator key (TOTP, 6 digits, 30 s): {DEMO_TOTP_SECRET}; demo only")
        self.stdout.write("Their current 6-digit code: python manage.py demo_code (or the key in an authenticator app)")
