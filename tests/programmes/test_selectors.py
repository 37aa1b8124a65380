"""``visible_programme``: a programme by id as the user may see it, or 404."""

import pytest
from django.http import Http404

from programmes.models import Membership
from programmes.selectors import visible_programme

pytestmark = pytest.mark.django_db


def test_a_member_gets_their_programme_with_their_role(programme, viewer):
    found = visible_programme(viewer, programme.pk)

    assert (found.pk, found.member_role) == (programme.pk, "viewer")


def test_a_programme_the_user_no_longer_sees_is_404_not_an_error(programme, viewer, outsider):
    with pytest.raises(Http404):
        visible_programme(outsider, programme.pk)
    # Their membership removed by a request beside theirs, after their object was found.
    Membership.objects.filter(user=viewer, programme=programme).delete()
    with pytest.raises(Http404):
        visible_programme(viewer, programme.pk)
