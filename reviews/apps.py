from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"

    def ready(self) -> None:
        # Panel meetings' models live in their own module (reviews.models is at its size limit);
        # importing it here registers them with this app before anything asks for them.
        import reviews.meeting_models  # noqa: F401
