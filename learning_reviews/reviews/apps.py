from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "learning_reviews.reviews"
    label = "reviews"
    verbose_name = "Reviews (§3.5, §5, Appendix 4)"
