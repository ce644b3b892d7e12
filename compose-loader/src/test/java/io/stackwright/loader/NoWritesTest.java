package io.stackwright.loader;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.FileOutputStream;
import java.io.FileWriter;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Loading a Compose project only reads: no class of the loader can call a file-system write
 * (checked on the byte code, so it holds for every input, not only the ones the tests load).
 */
class NoWritesTest {
  private static final JavaClasses LOADER =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.stackwright.loader");

  @Test
  @DisplayName("the loader calls no writing method of java.nio.file.Files")
  void noWritingFilesCalls() {
    noClasses()
        .should()
        .callMethodWhere(
            target(owner(assignableTo(Files.class)))
                .and(
                    target(
                        nameMatching(
                            "write.*|newOutputStream|newBufferedWriter|newByteChannel|create.*|copy|move|delete.*|set.*"))))
        .check(LOADER);
  }

  @Test
  @DisplayName("the loader uses no writing file API of java.io or channels")
  void noWritingStreams() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .areAssignableTo(FileOutputStream.class)
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(FileWriter.class)
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(RandomAccessFile.class)
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(FileChannel.class)
        .check(LOADER);
  }
}
