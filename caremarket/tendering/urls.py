"""The tendering pages' addresses, included by caremarket/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("brokerage/", views.brokerage_queue, name="brokerage"),
    path("brokerage/raise/", views.raise_requirement, name="requirement-raise"),
    path("brokerage/<id:pk>/", views.requirement_detail, name="requirement-detail"),
    path("brokerage/<id:pk>/award/", views.award, name="requirement-award"),
    path("brokerage/<id:pk>/choice/", views.citizen_choice, name="citizen-choice"),
    path("brokerage/<id:pk>/scores/", views.score_offers, name="score-offers"),
    path("brokerage/<id:pk>/next-round/", views.next_round, name="requirement-next-round"),
    path("brokerage/<id:pk>/cancel/", views.cancel_requirement, name="requirement-cancel"),
    path("hand-backs/", views.hand_back, name="hand-back"),
    path("opportunities/", views.opportunities, name="opportunities"),
    path("opportunities/<id:tender_pk>/", views.opportunity, name="opportunity"),
    path("opportunities/<id:tender_pk>/withdraw/", views.withdraw_offer, name="offer-withdraw"),
]
