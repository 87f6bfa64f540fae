# An absolute import: spark-submit runs this file as a script (no package), e.g.
# spark-submit --master spark://host:7077 .../graphinflu/__main__.py analyze FILE --engine spark -o out
from graphinflu.cli import main

if __name__ == "__main__":
    main()
