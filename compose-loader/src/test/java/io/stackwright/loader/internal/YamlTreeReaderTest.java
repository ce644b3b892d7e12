package io.stackwright.loader.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.SpecProblem;
import io.stackwright.loader.internal.Node.MapNode;
import io.stackwright.loader.internal.Node.ScalarNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The YAML tree: locations, anchors, aliases, merge keys, documents and syntax errors. */
class YamlTreeReaderTest {
  private final Diagnostics diagnostics = new Diagnostics();

  private List<Node> read(String yaml) {
    return YamlTreeReader.read("f.yml", yaml, diagnostics);
  }

  private Object plain(String yaml) {
    List<Node> documents = read(yaml);
    assertThat(diagnostics.problems()).isEmpty();
    assertThat(documents).hasSize(1);
    return Node.toPlain(documents.get(0));
  }

  @Test
  @DisplayName("every node and key knows its line and column (1-based)")
  void locations() {
    MapNode root = (MapNode) read("a:\n  b: [1, two]\n  'c': {d: null}\n").get(0);
    MapNode a = (MapNode) root.get("a");

    assertThat(root.entry("a").keyLocation()).isEqualTo(new Location("f.yml", 1, 1));
    assertThat(a.entry("b").keyLocation()).isEqualTo(new Location("f.yml", 2, 3));
    Node.ListNode b = (Node.ListNode) a.get("b");
    assertThat(b.location()).isEqualTo(new Location("f.yml", 2, 6));
    assertThat(b.items().get(1).location()).isEqualTo(new Location("f.yml", 2, 10));
    assertThat(a.entry("c").keyLocation()).isEqualTo(new Location("f.yml", 3, 3));
    assertThat(((MapNode) a.get("c")).get("d").location()).isEqualTo(new Location("f.yml", 3, 12));
  }

  @Test
  @DisplayName("scalars keep YAML's type and the text as written")
  void scalars() {
    MapNode root =
        (MapNode) read("s: text\ni: 0440\nf: 1.50\nb: yes\nn: ~\nq: \"3\"\nh: 0x1F\n").get(0);

    assertThat((ScalarNode) root.get("s")).extracting(ScalarNode::value).isEqualTo("text");
    assertThat((ScalarNode) root.get("i"))
        .extracting(ScalarNode::value, ScalarNode::text)
        .containsExactly(288L, "0440");
    assertThat((ScalarNode) root.get("f"))
        .extracting(ScalarNode::value, ScalarNode::text)
        .containsExactly(1.5, "1.50");
    assertThat((ScalarNode) root.get("b"))
        .extracting(ScalarNode::value, ScalarNode::text)
        .containsExactly(true, "yes");
    assertThat(((ScalarNode) root.get("n")).isNull()).isTrue();
    assertThat((ScalarNode) root.get("q")).extracting(ScalarNode::value).isEqualTo("3");
    assertThat((ScalarNode) root.get("h")).extracting(ScalarNode::value).isEqualTo(31L);
  }

  @Test
  @DisplayName("anchors and aliases, for mappings, lists and scalars")
  void aliases() {
    assertThat(
            plain(
                """
                base: &base {image: nginx, ports: [80]}
                list: &list [a, b]
                scalar: &tag v1.2
                copies: [*base, *list, *tag]
                """))
        .isEqualTo(
            Map.of(
                "base", Map.of("image", "nginx", "ports", List.of(80L)),
                "list", List.of("a", "b"),
                "scalar", "v1.2",
                "copies",
                    List.of(
                        Map.of("image", "nginx", "ports", List.of(80L)),
                        List.of("a", "b"),
                        "v1.2")));
  }

  @Test
  @DisplayName("merge keys: explicit keys win, earlier sources win over later ones")
  void mergeKeys() {
    Object tree =
        plain(
            """
            x-a: &a {image: a, user: a, hostname: a}
            x-b: &b {image: b, init: true, hostname: b}
            one:
              <<: *a
              image: own
            two:
              image: own
              <<: [*a, *b]
            """);
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) tree;
    assertThat(map.get("one")).isEqualTo(Map.of("image", "own", "user", "a", "hostname", "a"));
    assertThat(map.get("two"))
        .isEqualTo(Map.of("image", "own", "user", "a", "hostname", "a", "init", true));
  }

  @Test
  @DisplayName("several documents are read in order; empty ones are skipped")
  void documents() {
    List<Node> documents = read("a: 1\n---\n---\nb: 2\n");
    assertThat(documents)
        .extracting(Node::toPlain)
        .containsExactly(Map.of("a", 1L), Map.of("b", 2L));
    assertThat(read("# nothing here\n")).isEmpty();
  }

  @Test
  @DisplayName("a syntax error is a problem with the parser's location and no Jackson text")
  void syntaxError() {
    read("services:\n  web:\n    image: nginx\n   ports: []\n");
    assertThat(diagnostics.problems())
        .containsExactly(
            new SpecProblem(
                "f.yml",
                4,
                4,
                "services.web.image",
                "invalid YAML: while parsing a block mapping: expected <block end>, but found '<block mapping start>'"));
  }

  @Test
  @DisplayName("a tab used for indentation")
  void tab() {
    read("services:\n\tweb: {}\n");
    assertThat(diagnostics.problems())
        .extracting(SpecProblem::line, SpecProblem::column)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(2, 1));
    assertThat(diagnostics.problems().get(0).message()).contains("(TAB)");
  }

  @Test
  @DisplayName("an unknown anchor and a duplicate key are problems")
  void unknownAnchorAndDuplicateKey() {
    read("a: *nowhere\nb: 1\nb: 2\n");
    assertThat(diagnostics.problems())
        .containsExactly(
            new SpecProblem("f.yml", 1, 4, "a", "unknown anchor 'nowhere'"),
            new SpecProblem("f.yml", 3, 1, "b", "duplicate key 'b' (first defined at line 2)"));
  }

  @Test
  @DisplayName("a merge key needs mappings")
  void badMergeKey() {
    read("s: &s text\nm:\n  <<: *s\n");
    assertThat(diagnostics.problems())
        .containsExactly(
            new SpecProblem(
                "f.yml",
                3,
                7,
                "m.<<",
                "a merge key needs a mapping or a list of mappings, found a string"));
  }

  @Test
  @DisplayName("a billion laughs stops at a node budget instead of exhausting memory")
  void billionLaughs() {
    StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 10; i++) {
      yaml.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 10; j++) {
        yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      yaml.append("]\n");
    }
    read(yaml.toString());
    assertThat(diagnostics.problems())
        .singleElement()
        .extracting(SpecProblem::message)
        .isEqualTo(
            "the document has more than 250000 nodes, aliases expanded (LoadLimits.maxNodes; raise it with ComposeLoader.Builder.limits)");
  }

  @Test
  @DisplayName("custom tags (!reset, !override) are read as plain values, with a warning")
  void customTags() {
    List<Node> documents = read("a: !reset []\nb: !override [1]\n");
    assertThat(Node.toPlain(documents.get(0))).isEqualTo(Map.of("a", List.of(), "b", List.of(1L)));
    Node.MapNode map = (Node.MapNode) documents.get(0);
    assertThat(map.get("a"))
        .isInstanceOfSatisfying(Node.Tagged.class, t -> assertThat(t.isReset()).isTrue());
    assertThat(map.get("b"))
        .isInstanceOfSatisfying(
            Node.Tagged.class, t -> assertThat(t.tag()).isEqualTo(Node.Tagged.OVERRIDE));
    assertThat(Node.untag(map)).isEqualTo(Node.untag(map));
    assertThat(Node.toPlain(Node.untag(map))).isEqualTo(Map.of("b", List.of(1L)));
    assertThat(diagnostics.warnings()).isEmpty();
    read("c: !custom x\n");
    assertThat(diagnostics.warnings())
        .containsExactly(
            "f.yml:1:4: c: YAML tag !custom is not supported; the value is used as written");
  }
}
