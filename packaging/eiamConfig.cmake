# CMake package of eiam: find_package(eiam) gives the imported targets
# eiam::eiam (shared library) and eiam::eiam_static (static library).
# Relocatable: paths are found from this file's own location.
get_filename_component(_eiam_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)

if(NOT TARGET eiam::eiam)
  add_library(eiam::eiam SHARED IMPORTED)
  set_target_properties(eiam::eiam PROPERTIES
    IMPORTED_LOCATION "${_eiam_prefix}/lib/libeiam.so.${eiam_VERSION}"
    IMPORTED_SONAME "libeiam.so.0"
    INTERFACE_INCLUDE_DIRECTORIES "${_eiam_prefix}/include")
endif()

if(NOT TARGET eiam::eiam_static)
  add_library(eiam::eiam_static STATIC IMPORTED)
  set_target_properties(eiam::eiam_static PROPERTIES
    IMPORTED_LOCATION "${_eiam_prefix}/lib/libeiam.a"
    INTERFACE_INCLUDE_DIRECTORIES "${_eiam_prefix}/include"
    # What Rust's standard library needs from the system in a static link.
    INTERFACE_LINK_LIBRARIES "pthread;dl;m;rt;util")
endif()

unset(_eiam_prefix)
