"""Who may do what: the one place every privileged command and button asks."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .core import Assistant
    from .types import Role

TABLE = "assistant_moderators"


class Roles:
    """Organisers come from MINGEL_ORGANISERS; moderators are named per network."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    @property
    def _table(self):
        return self.assistant.store.table(TABLE, indexes=("user", "network"))

    def is_organiser(self, user_id: int) -> bool:
        """Organisers may do everything."""
        return user_id in self.assistant.organisers

    def moderated_networks(self, user_id: int) -> set[str]:
        """The networks a user moderates."""
        return {doc["network"] for doc in self._table.find(user=user_id)}

    def is_moderator(self, user_id: int, network: str | None = None,
                     networks: tuple[str, ...] = ()) -> bool:
        """Organisers, or a moderator of the network (or of any of `networks`, or any at all)."""
        if self.is_organiser(user_id):
            return True
        mine = self.moderated_networks(user_id)
        wanted = set(networks) | ({network} if network else set())
        return bool(mine & wanted) if wanted else bool(mine)

    def may(self, user_id: int, role: Role, network: str | None = None,
            networks: tuple[str, ...] = ()) -> bool:
        """The single permission check."""
        if role == "everyone":
            return True
        if role == "organiser":
            return self.is_organiser(user_id)
        return self.is_moderator(user_id, network, networks)

    def add_moderator(self, network: str, user_id: int) -> bool:
        """Name a moderator; False when they already were one."""
        if self._table.first(network=network, user=user_id):
            return False
        self._table.insert({"network": network, "user": user_id})
        return True

    def remove_moderator(self, network: str, user_id: int) -> bool:
        """Withdraw a moderator; False when they were not one."""
        doc = self._table.first(network=network, user=user_id)
        if doc is None:
            return False
        self._table.remove(doc.doc_id)
        return True

    def moderators(self, network: str) -> list[int]:
        """A network's moderators."""
        return sorted(doc["user"] for doc in self._table.find(network=network))
