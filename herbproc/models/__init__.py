"""The models herbproc trains, one per module or package, each with its weights loading beside it (timm's
pattern): ``ielt`` (the fine-grained ViT classifier) and ``heads`` (the classifier heads over it)."""
