"""`HybridSearch` as a LangChain retriever (kept apart so answering never imports LangChain)."""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from bot.qa.retrieve import HybridSearch


class HybridRetriever(BaseRetriever):
    """LangChain face of `HybridSearch`: passages (or sentences) as `Document`s, best first,
    with the passage id and scores in the metadata."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    search: HybridSearch
    level: Literal["passage", "sentence"] = "passage"
    k: int = 4

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        found = self.search.search(query)
        docs: list[Document] = []
        hits: tuple[Any, ...] = found.passages if self.level == "passage" else found.sentences
        for hit in hits[: self.k]:
            text = hit.passage.text if self.level == "passage" else hit.sentence.text
            docs.append(
                Document(
                    page_content=text,
                    metadata={
                        "article": self.search.index.stored.name,
                        "passage": hit.passage.id,
                        "score": round(hit.score, 4),
                        "dense": round(hit.dense, 4),
                        "lexical": round(hit.lexical, 4),
                    },
                )
            )
        return docs
