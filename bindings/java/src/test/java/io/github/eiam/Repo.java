package io.github.eiam;

import java.nio.file.Path;

/** The repository's root: the tests read include/eiam.h there. */
final class Repo {
    static final Path ROOT = Path.of(System.getenv().getOrDefault("EIAM_REPO_ROOT", "../..")).toAbsolutePath().normalize();

    private Repo() {}
}
