"""Agreements, notice-board files and pair evidence, served by core.files to whoever sees the group or pair."""
from django.shortcuts import get_object_or_404

from dangjian.alliances.models import Pair, PairAction, Post
from dangjian.alliances.queries import group_for
from dangjian.core.files import register


def _post(user, pk):
    post = get_object_or_404(Post, pk=pk)
    group_for(user, post.group_id)  # 404 outside the group's readers
    return post


def _evidence(user, pk):
    done = get_object_or_404(PairAction, pk=pk)
    Pair.objects.get_for_user(done.pair_id, user)  # 404 outside the scope
    return done


register("group-agreement", "agreement", group_for)
register("post-file", "file", _post)
register("pair-evidence", "evidence", _evidence)
